import { describe, expect, it } from 'vitest';
import * as queue from './queue';

type State = queue.QueueState<string>;

const titles = (state: State) => state.entries.map((entry) => entry.track);
const current = (state: State) => queue.currentEntry(state)?.track;
/** A deterministic "random": always the same sequence. */
function seeded(seed = 42): () => number {
  let value = seed;
  return () => {
    value = (value * 16807) % 2147483647;
    return value / 2147483647;
  };
}

function playing(tracks: string[], start = 0): State {
  return queue.playTracks(queue.emptyQueue<string>(), tracks, start, { shuffle: false });
}

describe('next and previous', () => {
  it('moves through the queue and stops at the end with repeat off', () => {
    let state = playing(['a', 'b']);
    let step = queue.next(state, 'ended');
    expect([current(step.state), step.ended]).toEqual(['b', false]);
    state = step.state;
    step = queue.next(state, 'ended');
    expect([current(step.state), step.ended]).toEqual(['b', true]);
  });

  it('wraps around with repeat all', () => {
    const state = queue.cycleRepeat(playing(['a', 'b'], 1));
    expect(state.repeat).toBe('all');
    const step = queue.next(state, 'ended');
    expect([current(step.state), step.ended]).toEqual(['a', false]);
    expect(current(queue.previous(step.state))).toBe('b');
  });

  it('repeats one track when it ends, but a skip still moves on', () => {
    const state = queue.cycleRepeat(queue.cycleRepeat(playing(['a', 'b'])));
    expect(state.repeat).toBe('one');
    expect(current(queue.next(state, 'ended').state)).toBe('a');
    expect(current(queue.next(state, 'skip').state)).toBe('b');
  });

  it('previous stays on the first track when not repeating', () => {
    expect(current(queue.previous(playing(['a', 'b'])))).toBe('a');
  });

  it('repeat cycles off → all → one → off', () => {
    const modes = [0, 1, 2, 3].reduce<[State, string[]]>(
      ([state, seen]) => [queue.cycleRepeat(state), [...seen, state.repeat]],
      [playing(['a']), []],
    )[1];
    expect(modes).toEqual(['off', 'all', 'one', 'off']);
  });

  it('an empty queue has nothing next', () => {
    expect(queue.next(queue.emptyQueue<string>(), 'skip').ended).toBe(true);
  });
});

describe('shuffle', () => {
  const tracks = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'];

  it('keeps the current track first and shuffles the rest, then restores the order', () => {
    const state = playing(tracks, 3);
    const shuffled = queue.toggleShuffle(state, seeded());
    expect(current(shuffled)).toBe('d');
    expect(shuffled.current).toBe(0);
    expect([...titles(shuffled)].sort()).toEqual(tracks);
    expect(titles(shuffled)).not.toEqual(['d', 'a', 'b', 'c', 'e', 'f', 'g', 'h']);

    const advanced = queue.next(shuffled, 'skip').state;
    const restored = queue.toggleShuffle(advanced);
    expect(titles(restored)).toEqual(tracks);
    expect(current(restored)).toBe(current(advanced));
    expect(restored.shuffle).toBe(false);
  });

  it('shuffle play starts at a random track and visits every track once', () => {
    const state = queue.playTracks(queue.emptyQueue<string>(), tracks, -1, { shuffle: true, random: seeded(7) });
    expect(state.shuffle).toBe(true);
    const visited: string[] = [];
    let step = { state, ended: false };
    while (!step.ended) {
      visited.push(current(step.state) as string);
      step = queue.next(step.state, 'ended');
    }
    expect(visited.sort()).toEqual(tracks);
  });

  it('tracks added while shuffled survive switching shuffle off; removed ones stay removed', () => {
    let state = queue.toggleShuffle(playing(['a', 'b', 'c']), seeded());
    state = queue.addToQueue(state, ['z']);
    const indexOfB = titles(state).indexOf('b');
    state = queue.remove(state, indexOfB);
    const restored = queue.toggleShuffle(state);
    expect(titles(restored)).toEqual(['a', 'c', 'z']);
  });
});

describe('editing the queue', () => {
  it('play next inserts right after the current track; add to queue appends', () => {
    let state = playing(['a', 'b', 'c']);
    state = queue.playNext(state, ['x']);
    state = queue.addToQueue(state, ['y']);
    expect(titles(state)).toEqual(['a', 'x', 'b', 'c', 'y']);
    expect(current(state)).toBe('a');
  });

  it('the same track can be queued twice, as distinct entries', () => {
    const state = queue.addToQueue(playing(['a']), ['a']);
    expect(titles(state)).toEqual(['a', 'a']);
    expect(new Set(state.entries.map((entry) => entry.uid)).size).toBe(2);
  });

  it('adding to an empty queue makes the first addition current', () => {
    expect(current(queue.addToQueue(queue.emptyQueue<string>(), ['a', 'b']))).toBe('a');
  });

  it('moving entries keeps the current track current', () => {
    let state = queue.jumpTo(playing(['a', 'b', 'c', 'd']), 1);
    state = queue.move(state, 1, 3);
    expect(titles(state)).toEqual(['a', 'c', 'd', 'b']);
    expect(current(state)).toBe('b');
    state = queue.move(state, 0, 2);
    expect(titles(state)).toEqual(['c', 'd', 'a', 'b']);
    expect(current(state)).toBe('b');
    expect(queue.move(state, 0, 9)).toBe(state);
  });

  it('removing before the current track shifts it; removing the current one plays the next', () => {
    let state = queue.jumpTo(playing(['a', 'b', 'c']), 1);
    state = queue.remove(state, 0);
    expect([titles(state), current(state)]).toEqual([['b', 'c'], 'b']);
    state = queue.remove(state, 0);
    expect(current(state)).toBe('c');
    state = queue.remove(state, 0);
    expect([state.entries.length, state.current]).toEqual([0, -1]);
  });
});
