/**
 * Starts a sync: revision, prune, dry run, chosen resources only (a selective sync: no hooks, no
 * history entry), and one-off image overrides, offered only when the Application's cluster is
 * labelled env=dev (the API refuses them elsewhere).
 */
import { useState } from 'preact/hooks';
import { app, get, post } from '../api.ts';
import { ErrorNote, Section } from '../components.tsx';
import { usePoll } from '../hooks.ts';
import type { ClusterInfo, Resource } from '../types.ts';

/** How a resource is named in the request and in the page (`apps/Deployment/orders/web`). */
const resourceId = (r: Resource) => [r.group, r.kind, r.namespace ?? '', r.name].join('/');

export function SyncPanel({ name, cluster, resources, onStarted }: { name: string; cluster: string | undefined; resources: Resource[]; onStarted: () => void }) {
  const [revision, setRevision] = useState('');
  const [prune, setPrune] = useState(false);
  const [dryRun, setDryRun] = useState(false);
  const [images, setImages] = useState('');
  const [chosen, setChosen] = useState<string[]>([]);
  const [state, setState] = useState<{ busy?: boolean; message?: string; error?: string }>({});
  const clusterInfo = usePoll(() => (cluster ? get<ClusterInfo>(`clusters/${encodeURIComponent(cluster)}`) : Promise.resolve(undefined)), [cluster]);
  const overridesAllowed = clusterInfo.data?.labels.env === 'dev';
  // Hooks never run in a selective sync, so only the other resources can be chosen.
  const selectable = resources.filter((r) => !r.hook);
  const toggle = (id: string) => setChosen(chosen.includes(id) ? chosen.filter((c) => c !== id) : [...chosen, id]);
  const submit = async (event: Event) => {
    event.preventDefault();
    setState({ busy: true });
    const overrides = overridesAllowed ? images.split(/\s+/).filter(Boolean) : [];
    const selected = selectable.filter((r) => chosen.includes(resourceId(r)))
      .map((r) => ({ group: r.group, kind: r.kind, namespace: r.namespace ?? '', name: r.name }));
    try {
      const queued = await post<{ message: string; syncId: string }>(`${app(name)}/sync`, {
        ...(revision ? { revision } : {}), prune, dryRun,
        ...(selected.length ? { resources: selected } : {}),
        ...(overrides.length ? { overrides: { images: overrides } } : {}),
      });
      setState({ message: selected.length ? `${queued.message} (${selected.length} chosen resource${selected.length === 1 ? '' : 's'}, no hooks)` : queued.message });
      setChosen([]);
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
        {overridesAllowed ? (
          <label>One-off images <input name="images" placeholder="name=image:tag (recorded as not from Git)" value={images} onInput={(e) => setImages((e.target as HTMLInputElement).value)} /></label>
        ) : null}
        {selectable.length ? (
          <details class="selection">
            <summary>Resources: {chosen.length ? `${chosen.length} chosen` : 'all'}</summary>
            <p class="muted">Choose some to sync only those (hooks do not run; not recorded in history).</p>
            {selectable.map((r) => {
              const id = resourceId(r);
              return (
                <label key={id} class="resource-choice" data-resource={`${r.kind}/${r.name}`}>
                  <input type="checkbox" checked={chosen.includes(id)} onChange={() => toggle(id)} /> {r.kind}/{r.name}{r.namespace ? <span class="muted"> in {r.namespace}</span> : null}
                </label>
              );
            })}
          </details>
        ) : null}
        <button type="submit" disabled={state.busy}>{chosen.length ? 'Sync chosen resources' : 'Sync'}</button>
      </form>
      {!overridesAllowed && clusterInfo.data ? <p class="muted overrides-note">One-off image overrides: only on clusters labelled env=dev ({cluster} is not).</p> : null}
      {state.message ? <p class="ok" role="status">{state.message}</p> : null}
      <ErrorNote error={state.error} />
    </Section>
  );
}
