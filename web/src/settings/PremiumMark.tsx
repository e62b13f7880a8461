import { useServices } from '../app/services-context';
import { Icon } from '../shared/ui/icons';
import { useObservable } from '../shared/useObservable';
import { lockedForPlan } from './plan';

/** A lock and "Premium" on a release a free listener cannot play, before they tap it. */
export function PremiumMark({ premiumOnly }: { premiumOnly: boolean }) {
  const rights = useObservable(useServices().plan.rights);
  if (!lockedForPlan(premiumOnly, rights)) return null;
  return (
    <span class="premium-mark" title="For Premium listeners">
      <Icon name="lock" size={12} />
      <span>Premium</span>
    </span>
  );
}

/** Whether the listener's plan leaves this release locked (for disabling its Play). */
export function useLockedForPlan(premiumOnly: boolean): boolean {
  return lockedForPlan(premiumOnly, useObservable(useServices().plan.rights));
}
