/** The resources grouped by phase, then wave, in the order a sync applies them; hooks marked. */
import { HealthBadge, Section, SyncBadge } from '../components.tsx';
import type { Resource, TaskProgress } from '../types.ts';

const PHASES = ['PreSync', 'Sync', 'PostSync', 'SyncFail', 'PostDelete'];

export function Resources({ resources, tasks }: { resources: Resource[]; tasks: TaskProgress[] }) {
  const phases = [...new Set(resources.map((r) => r.phase))].sort((a, b) => PHASES.indexOf(a) - PHASES.indexOf(b));
  const hookTasks = tasks.filter((t) => t.hookType && !resources.some((r) => r.kind === t.kind && r.name === t.name));
  return (
    <Section title="Resources by phase and wave" id="resources">
      {phases.map((phase) => {
        const inPhase = resources.filter((r) => r.phase === phase);
        const waves = [...new Set(inPhase.map((r) => r.wave))].sort((a, b) => a - b);
        return (
          <div class="phase" key={phase} data-phase={phase}>
            <h3>{phase}</h3>
            {waves.map((wave) => (
              <div class="wave" key={wave} data-wave={wave}>
                <h4>wave {wave}</h4>
                <ul class="resources">
                  {inPhase.filter((r) => r.wave === wave).map((r) => (
                    <li key={`${r.kind}/${r.namespace}/${r.name}`}>
                      {r.health.status ? <HealthBadge status={r.health.status} /> : <span class="badge h-none" title="no health check for this kind">–</span>} {r.hook ? null : <SyncBadge status={r.sync.status} />}
                      <span class="kind">{r.kind}</span>/<strong>{r.name}</strong>
                      {r.hook ? <span class="hook" title="hook: runs during the sync, not kept in sync">hook</span> : null}
                      {r.health.message ? <span class="muted"> {r.health.message}</span> : null}
                    </li>
                  ))}
                </ul>
              </div>
            ))}
          </div>
        );
      })}
      {hookTasks.length ? (
        <div class="phase"><h3>Hooks of the operation</h3>
          <ul class="resources">{hookTasks.map((t) => <li key={t.id}><span class="hook">{t.hookType}</span> <span class="kind">{t.kind}</span>/<strong>{t.name}</strong> {t.hookPhase || t.status} <span class="muted">{t.message}</span></li>)}</ul>
        </div>
      ) : null}
      {resources.length === 0 ? <p class="muted">Not compared yet.</p> : null}
    </Section>
  );
}
