import type { Services } from '../app/services-context';
import { ApiError } from '../shared/api/errors';
import type { RadioSeed } from '../shared/api/tonearm';

/** Starts a radio the listener asked for (a track's menu, an artist's button) and says so in a toast. */
export async function startRadio({ radio, notices }: Pick<Services, 'radio' | 'notices'>, seed: RadioSeed): Promise<void> {
  try {
    const station = await radio.start(seed);
    notices.show(`Playing ${station.title}.`);
  } catch (error) {
    notices.show(error instanceof ApiError ? error.message : "The radio couldn't be started. Try again.", { label: 'Retry', run: () => void startRadio({ radio, notices }, seed) });
  }
}
