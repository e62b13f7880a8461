import { useServices } from '../app/services-context';
import { Icon } from '../shared/ui/icons';
import { useObservable } from '../shared/useObservable';
import { lockedForPlan } from './plan';

/** A lock and "Premium": beside what a free listener cannot play or choose. */
export function PremiumLabel() {
  return (
    <span class="premium-mark" title="For Premium listeners">
      <Icon name="lock" size={12} />
      <span>Premium</span>
    </span>
  );
}

/** The Premium label on a release a free listener cannot play, before they tap it. */
export function PremiumMark({ premiumOnly }: { premiumOnly: boolean }) {
  const rights = useObservable(useServices().plan.rights);
  return lockedForPlan(premiumOnly, rights) ? <PremiumLabel /> : null;
}
