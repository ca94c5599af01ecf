/**
 * `gitwave project create -f | list | get` and `gitwave cluster add -f | list | get`: AppProjects
 * (Argo CD's YAML as it is) and gitwave Clusters through the API. Registering either is admin-only
 * (an IAM role named gitwave-admin*; the local runtime's user is admin). A cluster is shown by name,
 * server, labels and connection type, never by how it is reached.
 */
import type { Command } from 'commander';
import { apiOf, example, seg, withApiOptions, type ApiOptions } from '../api-options.ts';
import { ApiError, CliError } from '../errors.ts';
import { table } from '../format-app.ts';
import { printResult } from '../output.ts';
import type { ClusterView, ProjectView } from '../../shared/api/catalog.ts';
import { readInputFile } from './render.ts';

interface Catalog<T> {
  noun: 'project' | 'cluster';
  /** `create` for projects, `add` for clusters (as argocd names them). */
  verb: string;
  route: string;
  kind: string;
  sample: string;
  row(item: T, wide: boolean): Record<string, string>;
  detail(item: T): string;
}

const labels = (l: Record<string, string>) => Object.entries(l).map(([k, v]) => `${k}=${v}`).join(',') || '-';
const rules = (r: Array<{ group: string; kind: string }>) => r.map((x) => `${x.group || 'core'}/${x.kind}`).join(', ') || '-';

const PROJECTS: Catalog<ProjectView> = {
  noun: 'project', verb: 'create', route: '/api/projects', kind: 'AppProject', sample: 'projects/team.yaml',
  row: (p, wide) => ({
    NAME: p.name, DESCRIPTION: p.description || '-', 'SOURCE REPOS': p.sourceRepos.join(',') || '-', APPS: String(p.applications),
    ...(wide ? { DESTINATIONS: p.destinations.map((d) => `${d.name ?? d.server}/${d.namespace ?? ''}`).join(',') || '-', 'CLUSTER KINDS': rules(p.clusterResourceWhitelist) } : {}),
  }),
  detail: (p) => [
    `Name:            ${p.name}`,
    `Description:     ${p.description || '-'}`,
    `Source repos:    ${p.sourceRepos.join(', ') || '-'}`,
    `Destinations:    ${p.destinations.map((d) => `${d.name ?? d.server} namespace ${d.namespace ?? '(cluster-scoped)'}`).join('; ') || '-'}`,
    `Cluster kinds:   allowed ${rules(p.clusterResourceWhitelist)}; denied ${rules(p.clusterResourceBlacklist)}`,
    `Namespace kinds: allowed ${p.namespaceResourceWhitelist ? rules(p.namespaceResourceWhitelist) : 'all'}; denied ${rules(p.namespaceResourceBlacklist)}`,
    `Applications:    ${p.applications}`,
  ].join('\n'),
};

const CLUSTERS: Catalog<ClusterView> = {
  noun: 'cluster', verb: 'add', route: '/api/clusters', kind: 'Cluster', sample: 'clusters/dev.yaml',
  row: (c, wide) => ({ NAME: c.name, LABELS: labels(c.labels), CONNECTION: c.connection, APPS: String(c.applications), ...(wide ? { SERVER: c.server ?? '-' } : {}) }),
  detail: (c) => [
    `Name:         ${c.name}`,
    `Server:       ${c.server ?? '(from the connection)'}`,
    `Labels:       ${labels(c.labels)}${c.labels.env === 'dev' ? ' (one-off overrides allowed)' : ''}`,
    `Connection:   ${c.connection}`,
    `Applications: ${c.applications}`,
  ].join('\n'),
};

export function register(program: Command): void {
  registerCatalog(program, PROJECTS, 'AppProjects: the policy each Application deploys under');
  registerCatalog(program, CLUSTERS, 'Clusters gitwave deploys to');
}

function registerCatalog<T extends { name: string }>(program: Command, c: Catalog<T>, description: string): void {
  const group = example(program.command(c.noun).description(description), `gitwave ${c.noun} list`);
  example(withApiOptions(group.command(c.verb).description(`register (or update) a ${c.kind} from a YAML file (admin-only)`)),
    `gitwave ${c.noun} ${c.verb} -f ${c.sample}`)
    .requiredOption('-f, --file <file>', `the ${c.kind} YAML`)
    .action(async (opts: ApiOptions & { file: string }) => {
      const { format, api } = apiOf(opts);
      const text = readInputFile(opts.file, '-f');
      let created: { name: string };
      try {
        created = await api.post<{ name: string }>(c.route, text, 'application/yaml');
      } catch (error) {
        if (error instanceof ApiError) throw new CliError(`${error.detail.replace(/request body/g, opts.file)} (${error.status})`);
        throw error;
      }
      printResult(format, created, () => `${c.kind}/${created.name} registered`);
    });
  example(withApiOptions(group.command('list').description(`every registered ${c.kind}`)), `gitwave ${c.noun} list -o wide`)
    .action(async (opts: ApiOptions) => {
      const { format, api } = apiOf(opts);
      const items = await api.get<T[]>(c.route);
      printResult(format, items, (wide) => {
        if (items.length === 0) return `no ${c.noun}s registered`;
        const rows = items.map((item) => c.row(item, wide));
        return table(Object.keys(rows[0]), rows.map((r) => Object.values(r)));
      });
    });
  example(withApiOptions(group.command('get <name>').description(`one ${c.kind}`)), `gitwave ${c.noun} get ${c.noun === 'project' ? 'default' : 'local'}`)
    .action(async (name: string, opts: ApiOptions) => {
      const { format, api } = apiOf(opts);
      const item = await api.get<T>(`${c.route}/${seg(name)}`);
      printResult(format, item, () => c.detail(item));
    });
}
