import { Icon, type IconName } from '../shared/ui/icons';
import type { Route } from './router';

const TABS: { page: 'home' | 'search' | 'library'; href: string; label: string; icon: IconName }[] = [
  { page: 'home', href: '/', label: 'Home', icon: 'home' },
  { page: 'search', href: '/search', label: 'Search', icon: 'search' },
  { page: 'library', href: '/library', label: 'Library', icon: 'library' },
];

export function TabBar({ route }: { route: Route }) {
  return (
    <nav class="tab-bar" aria-label="Main">
      {TABS.map((tab) => (
        <a href={tab.href} class="tab" aria-current={route.page === tab.page ? 'page' : undefined}>
          <Icon name={tab.icon} />
          <span>{tab.label}</span>
        </a>
      ))}
    </nav>
  );
}
