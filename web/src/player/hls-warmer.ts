import type { RenditionChoice } from './hls-attacher';
import { firstFiles, masterVariants, predictedFirstFiles } from './hls-rules';
import type { PrimedPlaylists } from './primed-playlists';

/**
 * Fetches ahead what a start of an HLS master will ask for (`StreamSources.warm`): the
 * media playlist of the rendition it will start on, kept for hls.js (`PrimedPlaylists`),
 * and, with `firstSegment`, that rendition's init and first segment, which are public and
 * immutable, so hls.js then has them from the browser's cache. The key is not fetched: it
 * is per listener and never cached, one round trip at the start, made beside the segment's.
 */
export class HlsWarmer {
  constructor(
    private readonly fetcher: typeof fetch,
    private readonly primed: PrimedPlaylists,
    private readonly choice: RenditionChoice,
  ) {}

  async warm(masterUrl: string, options: { firstSegment: boolean }): Promise<void> {
    const master = await this.text(masterUrl);
    const variants = masterVariants(master, masterUrl);
    const variant = variants[this.choice.startLevel(masterUrl, variants)];
    if (!variant?.rendition) return;
    // Decided before anything is fetched, so hls.js (choosing meanwhile) starts there too.
    this.choice.warmed(masterUrl, variant.rendition);
    if (!options.firstSegment) {
      await this.text(variant.url);
      return;
    }
    // The files beside the playlist, not after it: one round trip less.
    const predicted = predictedFirstFiles(variant.url);
    const [playlist] = await Promise.all([this.text(variant.url), ...predicted.map((url) => this.file(url))]);
    await Promise.all(firstFiles(playlist, variant.url).filter((url) => !predicted.includes(url)).map((url) => this.file(url)));
  }

  /** Into the browser's cache: read whole, or it is not kept. */
  private async file(url: string): Promise<void> {
    await (await this.fetcher(url)).arrayBuffer();
  }

  private async text(url: string): Promise<string> {
    const known = this.primed.get(url);
    if (known !== undefined) return known;
    const response = await this.fetcher(url);
    if (!response.ok) throw new Error(`${url}: ${response.status}`);
    const text = await response.text();
    this.primed.set(url, text);
    return text;
  }
}
