import type { Entitlements, TonearmApi } from '../shared/api/tonearm';
import { Observable } from '../shared/observable';

/** The renditions above AAC-LC 128 that Settings offers: what each needs of the plan. */
const HIGH_KBPS = 256;

/**
 * What the listener's plan allows (`/me/entitlements`), loaded at sign-in, so screens mark
 * what a free listener cannot play before it is tapped: Premium-only releases, the
 * qualities above the plan's cap. Until it is known nothing is marked.
 */
export class Plan {
  readonly rights = new Observable<Entitlements | null>(null);

  constructor(private readonly api: Pick<TonearmApi, 'entitlements'>) {}

  async load(signal?: AbortSignal): Promise<Entitlements> {
    const rights = await this.api.entitlements(signal);
    this.rights.set(rights);
    return rights;
  }

  reset(): void {
    this.rights.set(null);
  }
}

/** Whether a release marked `premium_only` is out of this plan's reach (unknown rights lock nothing). */
export function lockedForPlan(premiumOnly: boolean, rights: Entitlements | null): boolean {
  return premiumOnly && rights !== null && !rights.premium_releases;
}

/** Whether a quality choice is above what the plan streams or downloads. */
export function qualityAbovePlan(quality: 'auto' | 'low' | 'normal' | 'high' | 'lossless', rights: Entitlements | null): boolean {
  if (rights === null) return false;
  if (quality === 'lossless') return !rights.lossless;
  if (quality === 'high') return rights.max_stream_kbps !== null && rights.max_stream_kbps !== undefined && rights.max_stream_kbps < HIGH_KBPS;
  return false;
}
