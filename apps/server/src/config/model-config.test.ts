import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadServerConfig } from './load-server-config.js';

/** Loads a configuration whose models file holds `models`. */
function loadModels(models: unknown[]) {
  const directory = mkdtempSync(join(tmpdir(), 'sealink-models-'));
  const path = join(directory, 'models.json');
  writeFileSync(path, JSON.stringify(models));
  return loadServerConfig({ env: { SEALINK_MODELS_FILE: path } }).models;
}

/** The message of the ConfigError that loading `models` throws. */
function modelsError(models: unknown[]): string {
  try {
    loadModels(models);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error(`expected a ConfigError for ${JSON.stringify(models)}`);
}

describe('the models file', () => {
  it('takes max_concurrent_calls from 1 to 64 and refuses 0 and 65', () => {
    for (const calls of [1, 64]) {
      expect(
        loadModels([{ id: 'a', backend: { type: 'bm25' }, max_concurrent_calls: calls }])[0],
      ).toMatchObject({
        max_concurrent_calls: calls,
      });
    }
    for (const calls of [0, 65, 1000]) {
      expect(
        modelsError([{ id: 'a', backend: { type: 'bm25' }, max_concurrent_calls: calls }]),
        String(calls),
      ).toMatch(/\[0\]\.max_concurrent_calls/);
    }
  });

  it('takes model ids of letters, digits and . _ : / - only, whole', () => {
    const ids = ['qwen3-rerank', 'Org/model:v1.2_x', 'a'];
    expect(loadModels(ids.map((id) => ({ id, backend: { type: 'bm25' } }))).map((model) => model.id)).toEqual(
      ids,
    );
    for (const id of ['a b', 'model\n', 'rerank?x=1', 'modèle', 'a#b', ' a', '']) {
      expect(modelsError([{ id, backend: { type: 'bm25' } }]), JSON.stringify(id)).toMatch(/\[0\]\.id/);
    }
    expect(modelsError([{ id: 'a b', backend: { type: 'bm25' } }])).toContain(
      'a model id may only have letters, digits and . _ : / -',
    );
  });
});
