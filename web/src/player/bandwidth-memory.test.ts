import { describe, expect, it } from 'vitest';
import { MemoryStorage } from '../shared/testing/memory-storage';
import { BandwidthMemory } from './bandwidth-memory';

describe('bandwidth memory', () => {
  it('knows nothing at first, unless the browser hints at the link', () => {
    expect(new BandwidthMemory(new MemoryStorage()).estimate()).toBeNull();
    expect(new BandwidthMemory(new MemoryStorage(), () => ({ downlink: 1.5 })).estimate()).toBe(1_500_000);
  });

  it('measures whole loads and keeps the estimate across sessions, recent loads weighing most', () => {
    const storage = new MemoryStorage();
    new BandwidthMemory(storage).sample(50_000, 1_000); // 400 kbit/s
    const nextSession = new BandwidthMemory(storage, () => ({ downlink: 10 }));
    expect(nextSession.estimate()).toBe(400_000);
    nextSession.sample(50_000, 200); // 2 Mbit/s
    expect(nextSession.estimate()).toBe(880_000);
  });

  it('leaves out loads too short to say anything of the link (a cache, a tiny file)', () => {
    const memory = new BandwidthMemory(new MemoryStorage());
    memory.sample(36_000, 2);
    memory.sample(0, 500);
    expect(memory.estimate()).toBeNull();
  });

  it("passes on the browser's data saver", () => {
    expect(new BandwidthMemory(new MemoryStorage(), () => ({ saveData: true })).saveData()).toBe(true);
    expect(new BandwidthMemory(new MemoryStorage()).saveData()).toBe(false);
  });
});
