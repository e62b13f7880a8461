import { useState } from 'preact/hooks';
import { Sheet } from './Sheet';

/** Asks for a playlist's name (creating or renaming), with the keyboard's "go" submitting. */
export function NameDialog({ title, initial, action, onSubmit, onClose }: { title: string; initial: string; action: string; onSubmit: (name: string) => void; onClose: () => void }) {
  const [name, setName] = useState(initial);
  const trimmed = name.trim();
  return (
    <Sheet title={title} onClose={onClose}>
      <form
        class="name-form"
        onSubmit={(event) => {
          event.preventDefault();
          if (trimmed) onSubmit(trimmed);
        }}
      >
        <label class="field">
          <span>Name</span>
          <input type="text" value={name} maxLength={100} enterKeyHint="done" autoComplete="off" onInput={(event) => setName((event.target as HTMLInputElement).value)} onFocus={(event) => (event.target as HTMLInputElement).select()} />
        </label>
        <div class="sheet-actions">
          <button type="button" class="button secondary" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" class="button primary" disabled={!trimmed}>
            {action}
          </button>
        </div>
      </form>
    </Sheet>
  );
}
