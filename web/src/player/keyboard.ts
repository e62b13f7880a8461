import type { Player } from './player';

/**
 * Desktop shortcuts: Space play/pause, ←/→ seek 10 s, Shift+←/→ previous/next track,
 * ↑/↓ volume. Ignored while typing in a field or with Ctrl/⌘ (browser shortcuts).
 */
export function installKeyboardShortcuts(player: Player): () => void {
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.ctrlKey || event.metaKey || event.altKey || event.defaultPrevented) return;
    const target = event.target as HTMLElement | null;
    if (target?.closest('input, textarea, select, [contenteditable="true"]')) return;
    // Space on a focused button activates the button; don't also toggle playback.
    if (event.key === ' ' && target?.closest('button, a')) return;
    const handled = handle(player, event);
    if (handled) event.preventDefault();
  };
  addEventListener('keydown', onKeyDown);
  return () => removeEventListener('keydown', onKeyDown);
}

function handle(player: Player, event: KeyboardEvent): boolean {
  const position = player.progress.value.position;
  switch (event.key) {
    case ' ':
    case 'k':
      player.togglePlay();
      return true;
    case 'ArrowRight':
      if (event.shiftKey) player.next();
      else player.seek(position + 10);
      return true;
    case 'ArrowLeft':
      if (event.shiftKey) player.previous();
      else player.seek(position - 10);
      return true;
    case 'ArrowUp':
      player.setVolume(player.volume.value + 0.1);
      return true;
    case 'ArrowDown':
      player.setVolume(player.volume.value - 0.1);
      return true;
    default:
      return false;
  }
}
