import { RecentSearches } from './recent-searches';

/** This device's recent searches (cleared at sign-out with everything else). */
export const recentSearches = new RecentSearches(localStorage);
