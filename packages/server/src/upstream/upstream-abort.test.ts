import { describe, expect, it } from 'vitest';
import { UpstreamAbort } from './upstream-abort.js';

describe('UpstreamAbort', () => {
  it('aborts once, keeps the first reason, and throws it', () => {
    const abort = new UpstreamAbort();
    let events = 0;
    abort.on('abort', () => events++);
    expect(() => abort.throwIfAborted()).not.toThrow();
    abort.abort(new Error('first'));
    abort.abort(new Error('second'));
    expect(events).toBe(1);
    expect(abort.aborted).toBe(true);
    expect(() => abort.throwIfAborted()).toThrow('first');
  });

  it('follows an AbortSignal and another UpstreamAbort until told to stop', () => {
    const controller = new AbortController();
    const fromSignal = new UpstreamAbort();
    fromSignal.follow(controller.signal);
    controller.abort(new Error('caller went away'));
    expect(fromSignal.reason).toEqual(new Error('caller went away'));

    const parent = new UpstreamAbort();
    const child = new UpstreamAbort();
    const stop = child.follow(parent);
    expect(parent.listenerCount('abort')).toBe(1);
    stop();
    expect(parent.listenerCount('abort')).toBe(0);
    parent.abort('late');
    expect(child.aborted).toBe(false);

    const already = new UpstreamAbort();
    already.follow(parent);
    expect(already.reason).toBe('late');
  });
});
