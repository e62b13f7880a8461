import { describe, expect, it } from 'vitest';
import type { Entitlements } from '../shared/api/tonearm';
import { lockedForPlan, qualityAbovePlan } from './plan';

const free: Entitlements = { tier: 'free', lossless: false, max_stream_kbps: 128, offline_downloads: false, premium_releases: false, skips: { per_hour: 6, remaining: 6 } };
const premium: Entitlements = { tier: 'premium', lossless: true, max_stream_kbps: null, offline_downloads: true, premium_releases: true, skips: { per_hour: null } };

describe('plan', () => {
  it('locks Premium-only releases for a free plan only, and nothing while the plan is unknown', () => {
    expect(lockedForPlan(true, free)).toBe(true);
    expect(lockedForPlan(false, free)).toBe(false);
    expect(lockedForPlan(true, premium)).toBe(false);
    expect(lockedForPlan(true, null)).toBe(false);
  });

  it('marks the qualities above what the plan streams', () => {
    expect((['auto', 'low', 'normal', 'high', 'lossless'] as const).filter((quality) => qualityAbovePlan(quality, free))).toEqual(['high', 'lossless']);
    expect((['auto', 'low', 'normal', 'high', 'lossless'] as const).filter((quality) => qualityAbovePlan(quality, premium))).toEqual([]);
    expect(qualityAbovePlan('lossless', null)).toBe(false);
  });
});
