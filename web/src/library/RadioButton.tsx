import { useServices } from '../app/services-context';
import { startRadio } from '../player/start-radio';
import type { RadioSeed } from '../shared/api/tonearm';
import { Icon } from '../shared/ui/icons';

/** The radio button beside Play on an artist, album or playlist: an endless station from it. */
export function RadioButton({ seed, name, disabled = false }: { seed: RadioSeed; name: string; disabled?: boolean }) {
  const services = useServices();
  return (
    <button type="button" class="icon-button" aria-label={`${name} radio`} title="Go to radio" disabled={disabled} onClick={() => void startRadio(services, seed)}>
      <Icon name="radio" size={26} />
    </button>
  );
}
