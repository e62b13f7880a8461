import { useEffect, useState } from 'preact/hooks';
import type { Observable } from './observable';

/** Re-renders the component whenever the observable changes. */
export function useObservable<T>(observable: Observable<T>): T {
  const [value, setValue] = useState(observable.value);
  useEffect(() => {
    setValue(observable.value);
    return observable.subscribe(setValue);
  }, [observable]);
  return value;
}
