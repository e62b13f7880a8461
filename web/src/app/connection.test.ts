import { describe, expect, it } from 'vitest';
import { ManualTimers } from '../shared/testing/manual-timers';
import { Connection } from './connection';

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

function setUp(online: boolean) {
  const timers = new ManualTimers();
  let answers = false;
  let probes = 0;
  const connection = new Connection({
    online,
    probe: async () => {
      probes += 1;
      return answers;
    },
    setTimer: timers.set,
    clearTimer: timers.clear,
  });
  return { connection, timers, answer: (yes: boolean) => (answers = yes), probes: () => probes };
}

describe('connection', () => {
  it('asks the server again, backing off, until it answers; then counts a return', async () => {
    const { connection, timers, answer, probes } = setUp(true);
    connection.reached(false);
    expect(connection.online.value).toBe(false);
    expect(timers.fireNext()).toBe(2_000);
    await settle();
    expect(timers.fireNext()).toBe(4_000);
    await settle();
    expect(probes()).toBe(2);
    expect(connection.returns.value).toBe(0);
    answer(true);
    timers.fireNext();
    await settle();
    expect(connection.online.value).toBe(true);
    expect(connection.returns.value).toBe(1);
    expect(timers.pending).toHaveLength(0);
  });

  it('a request that reaches the server ends the outage without a probe', () => {
    const { connection, timers } = setUp(false);
    expect(timers.pending).toHaveLength(1);
    connection.reached(true);
    expect(connection.returns.value).toBe(1);
    expect(timers.pending).toHaveLength(0);
    connection.reached(true);
    expect(connection.returns.value).toBe(1);
  });

  it("the browser's online event asks at once; while the server stays away it keeps asking", async () => {
    const { connection, timers, answer, probes } = setUp(false);
    connection.browserOnline();
    await settle();
    expect(probes()).toBe(1);
    expect(connection.online.value).toBe(false);
    expect(timers.pending).toHaveLength(1);
    answer(true);
    connection.browserOnline();
    await settle();
    expect(connection.online.value).toBe(true);
    expect(connection.returns.value).toBe(1);
  });

  it('the browser going offline is an outage', () => {
    const { connection } = setUp(true);
    connection.browserOffline();
    expect(connection.online.value).toBe(false);
  });
});
