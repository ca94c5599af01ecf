/** Starts a sync: revision, prune, dry run, one-off image overrides (the API accepts them on env=dev clusters only). */
import { useState } from 'preact/hooks';
import { app, post } from '../api.ts';
import { ErrorNote, Section } from '../components.tsx';
import type { Resource } from '../types.ts';

export function SyncPanel({ name, onStarted }: { name: string; resources: Resource[]; onStarted: () => void }) {
  const [revision, setRevision] = useState('');
  const [prune, setPrune] = useState(false);
  const [dryRun, setDryRun] = useState(false);
  const [images, setImages] = useState('');
  const [state, setState] = useState<{ busy?: boolean; message?: string; error?: string }>({});
  const submit = async (event: Event) => {
    event.preventDefault();
    setState({ busy: true });
    const overrides = images.split(/\s+/).filter(Boolean);
    try {
      const queued = await post<{ message: string; syncId: string }>(`${app(name)}/sync`, {
        ...(revision ? { revision } : {}), prune, dryRun, ...(overrides.length ? { overrides: { images: overrides } } : {}),
      });
      setState({ message: queued.message });
      onStarted();
    } catch (error) {
      setState({ error: (error as Error).message });
    }
  };
  return (
    <Section title="Sync" id="sync">
      <form class="sync-panel" onSubmit={submit}>
        <label>Revision <input name="revision" placeholder="the tracked branch (default)" value={revision} onInput={(e) => setRevision((e.target as HTMLInputElement).value)} /></label>
        <label><input type="checkbox" name="prune" checked={prune} onChange={(e) => setPrune((e.target as HTMLInputElement).checked)} /> Prune</label>
        <label><input type="checkbox" name="dryRun" checked={dryRun} onChange={(e) => setDryRun((e.target as HTMLInputElement).checked)} /> Dry run</label>
        <label>One-off images <input name="images" placeholder="name=image:tag (env=dev clusters only)" value={images} onInput={(e) => setImages((e.target as HTMLInputElement).value)} /></label>
        <button type="submit" disabled={state.busy}>Sync</button>
      </form>
      {state.message ? <p class="ok" role="status">{state.message}</p> : null}
      <ErrorNote error={state.error} />
    </Section>
  );
}
