import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { formatJsonPath, suggestField } from '@sealink/rerank-contract';
import { CONFIG_REFERENCE, ServerConfig } from './server-config.js';

/** A configuration that cannot be used; its message names the setting and says what is allowed. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** Where the configuration comes from. */
export interface LoadServerConfigOptions {
  /** The environment, usually `process.env`. */
  env: Readonly<Record<string, string | undefined>>;
  /** A JSON configuration file (`--config`); `SEALINK_CONFIG` from the environment when omitted. */
  configPath?: string | undefined;
  /** The directory relative paths are read from; the working directory by default. */
  cwd?: string | undefined;
  /**
   * Refuse a configuration without API keys when `NODE_ENV` is `production` (unless auth is explicitly
   * off); `true` by default. The evaluation CLI, which serves nothing, passes `false`.
   */
  requireKeysInProduction?: boolean | undefined;
}

/** Settings whose environment variable holds a path, which is read as given, white space included. */
const PATH_SETTINGS = new Set(['models_file']);
const LIST_SETTINGS = new Set(['api_keys', 'api_key_digests', 'cors_origins']);
const BOOLEAN_SETTINGS = new Set(['auth_disabled', 'process_metrics']);
const INTEGER_SETTINGS = new Set([
  'rate_limit_requests',
  'rate_limit_window_seconds',
  'port',
  'max_body_bytes',
  'request_timeout_ms',
  'drain_timeout_ms',
  'retry_after_seconds',
]);

/** Node's file error codes, said in words. */
const FILE_ERRORS: Readonly<Record<string, string>> = {
  ENOENT: 'no such file',
  EISDIR: 'it is a directory',
  EACCES: 'permission denied',
  ENOTDIR: 'a part of the path is not a directory',
};

/**
 * A setting's value as read from its environment variable, or `undefined` when the variable is unset,
 * empty or only white space (the same as unset, so `PORT=` or a blank `SEALINK_REDIS_URL` takes the
 * default). White space around the value (a CRLF env file's carriage return) is ignored, except in a
 * path. Lists are split on commas, empty items dropped and duplicates removed.
 * @throws ConfigError for a list variable that holds only commas and white space, which would leave
 * authentication (or cross-origin access) off although it was meant to be on.
 */
function fromEnvironment(name: string, variable: string, value: string): unknown {
  if (value.trim() === '') return undefined;
  if (LIST_SETTINGS.has(name)) {
    const items = [
      ...new Set(
        value
          .split(',')
          .map((item) => item.trim())
          .filter((item) => item !== ''),
      ),
    ];
    if (items.length === 0) {
      throw new ConfigError(
        name === 'cors_origins'
          ? `Invalid configuration: ${variable}: holds only commas and white space, so no origin; unset it to allow no cross-origin calls.`
          : `Invalid configuration: ${variable}: holds only commas and white space, so no key; unset it to run without authentication.`,
      );
    }
    return items;
  }
  if (BOOLEAN_SETTINGS.has(name)) {
    const normalized = value.trim().toLowerCase();
    if (['true', '1', 'yes', 'on'].includes(normalized)) return true;
    if (['false', '0', 'no', 'off'].includes(normalized)) return false;
    return value;
  }
  if (INTEGER_SETTINGS.has(name)) return /^\s*-?\d+\s*$/.test(value) ? Number(value) : value;
  // A path is read as given (a file name may end with a space; a message quotes such a path and says so).
  return PATH_SETTINGS.has(name) ? value : value.trim();
}

/** White space or a control character (a carriage return from a CRLF env file, a tab, a newline). */
const INVISIBLE = /[\s\p{Cc}]/u;

/**
 * A path (`path`, resolved from `given`) as a message shows it: as it is, or JSON-quoted with a note when
 * the path as given starts or ends with white space or a control character, which would otherwise not
 * show (a carriage return would even send the rest of the line over its start), so that `no such file`
 * for a file that is there makes sense.
 */
function showPath(path: string, given: string): { path: string; note: string } {
  const end = INVISIBLE.test(given.slice(-1))
    ? 'ends'
    : INVISIBLE.test(given.slice(0, 1))
      ? 'starts'
      : undefined;
  if (end === undefined) return { path, note: '' };
  const hint = end === 'ends' ? ' (a CRLF line end?)' : '';
  return {
    path: JSON.stringify(path),
    note: `; the path ${end} with white space or a control character${hint}`,
  };
}

/**
 * Reads a JSON file (a leading byte order mark is ignored) for the setting `setting` (`--config`,
 * `SEALINK_MODELS_FILE`...), which every message about the file names: one it cannot read with the
 * path it looked at, one that is not JSON with the path as given (`shown`).
 */
function readJsonFile(path: string, shown: string, setting: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === undefined ? String(error) : `${FILE_ERRORS[code] ?? 'error'} (${code})`;
    const shownPath = showPath(path, shown);
    throw new ConfigError(
      `Invalid configuration: ${setting}: cannot read ${shownPath.path}: ${reason}${shownPath.note}.`,
    );
  }
  try {
    return JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (error) {
    const shownPath = showPath(shown, shown);
    throw new ConfigError(
      `Invalid configuration: ${setting}: ${shownPath.path} is not valid JSON: ${withoutSourceExcerpt((error as Error).message)}${shownPath.note}.`,
    );
  }
}

/**
 * A `JSON.parse` error message without the excerpt of the source V8 quotes in some of them
 * (`Unexpected token 's', ..."pi_keys": sk-live-ab"... is not valid JSON`), which may hold an API key.
 */
function withoutSourceExcerpt(message: string): string {
  return message.replace(/, (?:\.\.\.)?".*"(?:\.\.\.)? is not valid JSON$/s, '');
}

/**
 * Setting and field names whose values are secret or may hold one by mistake: `api_keys`,
 * `api_key_digests`, an upstream's `api_key_env`, any `api_key`, `apiKey`, `secret`, `password` or
 * `credentials`. Their values never appear in a message.
 */
const SECRET_NAME = /api_?keys?|secret|passw(?:or)?d|credential/i;

function isSecretPath(path: readonly PropertyKey[]): boolean {
  return path.some((segment) => typeof segment === 'string' && SECRET_NAME.test(segment));
}

function plural(count: number, one: string, many: string): string {
  return `${count} ${count === 1 ? one : many}`;
}

/** The shape of a value without its content: `a string of 11 characters`, `a list of 2 items`. */
function describeShape(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (typeof value === 'string') return `a string of ${plural(value.length, 'character', 'characters')}`;
  if (Array.isArray(value)) return `a list of ${plural(value.length, 'item', 'items')}`;
  if (typeof value === 'object') return `an object with ${plural(Object.keys(value).length, 'key', 'keys')}`;
  return `a ${typeof value}`;
}

/** A URL with its user name and password (if any) replaced by `***`; other strings as they are. */
function withoutUrlCredentials(text: string): string {
  return text.replace(/(\b[a-z][a-z0-9+.-]*:\/\/)[^/?#\s]*@/gi, '$1***@');
}

/**
 * The rejected value for a message: its shape only when it is or lies under a secret setting, else
 * its JSON with any secret field hidden and URL credentials masked, cut to 60 characters.
 */
function describeValue(value: unknown, path: readonly PropertyKey[]): string {
  if (isSecretPath(path)) return describeShape(value);
  if (value === undefined) return 'nothing';
  // JSON.parse reads a number too large for a double (1e400) as Infinity, which JSON.stringify writes null.
  if (typeof value === 'number') return String(value);
  const text =
    JSON.stringify(value, (key, item: unknown) => {
      if (SECRET_NAME.test(key)) return `<hidden: ${describeShape(item)}>`;
      return typeof item === 'string' ? withoutUrlCredentials(item) : item;
    }) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** The little of a zod schema's definition that {@link objectKeysAt} walks. */
interface SchemaDefinition {
  type: string;
  innerType?: SchemaNode;
  in?: SchemaNode;
  shape?: Record<string, SchemaNode>;
  element?: SchemaNode;
  options?: SchemaNode[];
  discriminator?: string;
}
interface SchemaNode {
  _zod: { def: SchemaDefinition };
  safeParse(value: unknown): { success: boolean };
}

/** The schema itself, without the wrappers (optional, default...) around it; a union's member for `value`. */
function unwrap(schema: SchemaNode, value: unknown): SchemaNode | undefined {
  let current = schema;
  for (;;) {
    const def = current._zod.def;
    if (def.innerType !== undefined) current = def.innerType;
    else if (def.type === 'pipe' && def.in !== undefined) current = def.in;
    else if (def.type === 'union' && def.options !== undefined) {
      // The member whose discriminator (`type`) accepts the value's, else the first object member.
      const discriminator = def.discriminator;
      const objects = def.options
        .map((option) => unwrap(option, value))
        .filter((option): option is SchemaNode => option?._zod.def.type === 'object');
      const given =
        discriminator !== undefined && value !== null && typeof value === 'object'
          ? (value as Record<string, unknown>)[discriminator]
          : undefined;
      const chosen =
        discriminator === undefined
          ? objects[0]
          : objects.find((option) => option._zod.def.shape?.[discriminator]?.safeParse(given).success);
      if (chosen === undefined) return undefined;
      current = chosen;
    } else return current;
  }
}

/** The keys the object schema at `path` of `input` allows, for suggesting the one a misspelt key meant. */
function objectKeysAt(schema: SchemaNode, input: unknown, path: readonly PropertyKey[]): string[] {
  let current: SchemaNode | undefined = unwrap(schema, input);
  let value = input;
  for (const segment of path) {
    value =
      value !== null && typeof value === 'object'
        ? (value as Record<PropertyKey, unknown>)[segment]
        : undefined;
    const def: SchemaDefinition | undefined = current?._zod.def;
    const next = def?.type === 'array' ? def.element : def?.shape?.[String(segment)];
    current = next === undefined ? undefined : unwrap(next, value);
  }
  const shape = current?._zod.def.type === 'object' ? current._zod.def.shape : undefined;
  return shape === undefined ? [] : Object.keys(shape);
}

/** The key an unknown one probably meant: a near spelling, or the same name with a unit (`timeout_ms`). */
function suggestKey(unknownKey: string, keys: readonly string[]): string | undefined {
  return suggestField(unknownKey, keys) ?? keys.find((key) => key.startsWith(`${unknownKey}_`));
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let value = input;
  for (const segment of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[segment];
  }
  return value;
}

/**
 * Reads the server's configuration: defaults, then the JSON file (`--config` or `SEALINK_CONFIG`), then
 * environment variables, then the models file (`models_file`) for the registry. Validated with
 * {@link ServerConfig}.
 * @throws ConfigError with one message that names the offending setting (by its environment variable
 * when it came from there, else by its key and file) and what is allowed.
 */
export function loadServerConfig(options: LoadServerConfigOptions): ServerConfig {
  const { env } = options;
  const cwd = options.cwd ?? process.cwd();
  const configPath = options.configPath ?? (env.SEALINK_CONFIG?.trim() ? env.SEALINK_CONFIG : undefined);
  // No prototype: a `__proto__` key in the file is an own (unknown) key, not the object's prototype.
  const raw: Record<string, unknown> = Object.create(null);
  /** Where each top-level setting came from, for messages. */
  const origin = new Map<string, string>();
  if (configPath !== undefined) {
    const setting = options.configPath === undefined ? 'SEALINK_CONFIG' : '--config';
    // `--config "$FILE"` with FILE unset: resolved, the empty path would name the working directory.
    if (configPath === '') {
      throw new ConfigError(
        `Invalid configuration: ${setting}: the path is empty; give a JSON file, or leave ${setting} out.`,
      );
    }
    const file = readJsonFile(resolve(cwd, configPath), configPath, setting);
    if (file === null || typeof file !== 'object' || Array.isArray(file)) {
      throw new ConfigError(
        `Invalid configuration: ${setting}: ${configPath} must hold a JSON object (got ${describeShape(file)}).`,
      );
    }
    for (const [key, value] of Object.entries(file)) {
      raw[key] = value;
      origin.set(key, `${key} in ${configPath}`);
    }
  }
  for (const entry of CONFIG_REFERENCE) {
    if (entry.env === '') continue;
    const value = env[entry.env];
    if (value === undefined) continue;
    const parsedValue = fromEnvironment(entry.name, entry.env, value);
    if (parsedValue === undefined) continue;
    raw[entry.name] = parsedValue;
    origin.set(entry.name, entry.env);
  }
  const modelsFile =
    typeof raw.models_file === 'string' && raw.models_file.trim() !== '' ? raw.models_file : undefined;
  if (modelsFile !== undefined) {
    const setting = origin.get('models_file') ?? 'models_file';
    raw.models = readJsonFile(resolve(cwd, modelsFile), modelsFile, setting);
    origin.set('models', `the models file ${modelsFile}`);
  }

  const parsed = ServerConfig.safeParse(raw);
  if (!parsed.success) {
    // An unknown key first: a misspelt key (`base_url`) also leaves the key it meant missing, and the
    // spelling is the mistake to name.
    const issue =
      parsed.error.issues.find((candidate) => candidate.code === 'unrecognized_keys') ??
      parsed.error.issues[0]!;
    const [top, ...rest] = issue.path;
    const key = String(top ?? '');
    const source = origin.get(key) ?? key;
    // A place in the models: `models in c.json [0].id`, or `the models file m.json: [0].id`.
    const where =
      key === 'models' && rest.length > 0
        ? `${source}${modelsFile === undefined ? '' : ':'} ${formatJsonPath(rest)}`
        : source;
    if (issue.code === 'unrecognized_keys') {
      // Only the names: an unknown key may be a misspelt secret (`api_kyes`), so no value is shown.
      const label = issue.path.length === 0 ? (configPath ?? 'the configuration') : where;
      const names = issue.keys.map((name) => `"${name}"`).join(', ');
      const suggestion =
        issue.keys.length === 1
          ? suggestKey(issue.keys[0]!, objectKeysAt(ServerConfig as unknown as SchemaNode, raw, issue.path))
          : undefined;
      throw new ConfigError(
        `Invalid configuration: ${label}: unknown ${issue.keys.length === 1 ? 'key' : 'keys'} ${names}${suggestion === undefined ? '' : ` (did you mean "${suggestion}"?)`}.`,
      );
    }
    const label = where === '' ? 'the configuration' : where;
    throw new ConfigError(
      `Invalid configuration: ${label}: ${issue.message} (got ${describeValue(valueAt(raw, issue.path), issue.path)}).`,
    );
  }
  const config = parsed.data;
  const hasKeys = config.api_keys.length > 0 || config.api_key_digests.length > 0;
  const requireKeys = options.requireKeysInProduction ?? true;
  // White space around NODE_ENV ignored, as around the server's own variables, and its case: neither
  // `production\r` from a CRLF env file nor `NODE_ENV=Production` may turn the check off.
  if (
    requireKeys &&
    !hasKeys &&
    !config.auth_disabled &&
    env.NODE_ENV?.trim().toLowerCase() === 'production'
  ) {
    throw new ConfigError(
      'Invalid configuration: SEALINK_API_KEYS: no API key is set and NODE_ENV is production. Set SEALINK_API_KEYS (or SEALINK_API_KEY_DIGESTS), or SEALINK_AUTH_DISABLED=true to run without authentication.',
    );
  }
  return config;
}
