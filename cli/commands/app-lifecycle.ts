/**
 * `gitwave app create -f <file>` and `-k <kustomize dir>`, and `gitwave app delete <name> [--cascade]`.
 *
 * create reads Argo CD Application and AppProject documents as they are: a file (one or several
 * documents), or a kustomize folder as teams keep them (`argocd_application/overlays/<env>`),
 * rendered with the real kustomize through shared/render under the same safety rules as any
 * manifest folder. Every document is checked here first (errors name file, line, object and field),
 * so nothing is registered when one is invalid; then AppProjects are registered (admin-only), then
 * Applications.
 *
 * delete keeps the deployed objects unless `--cascade` (Argo CD's `argocd app delete` cascades by
 * default; gitwave asks for it explicitly), and says which it did.
 */
import type { Command } from 'commander';
import { parseAllDocuments, stringify } from 'yaml';
import { apiOf, example, seg, withApiOptions, type ApiOptions } from '../api-options.ts';
import { ApiError, CliError } from '../errors.ts';
import { table } from '../format-app.ts';
import { printResult } from '../output.ts';
import { parseApplicationObject } from '../../shared/model/application.ts';
import { parseAppProjectObject } from '../../shared/model/appproject.ts';
import { ModelError } from '../../shared/model/model-error.ts';
import type { DeleteAnswer } from '../../shared/api/remove.ts';
import { readInputFile, renderOrFail, renderRequest } from './render.ts';

/** One document to register, with the place people will recognise in messages. */
interface Registration {
  kind: 'Application' | 'AppProject';
  name: string;
  /** `file:line`, or `dir (rendered from file:line)`. */
  where: string;
  text: string;
}

interface Registered {
  kind: string;
  name: string;
  where: string;
}

export function registerLifecycle(app: Command): void {
  example(withApiOptions(app.command('create').description('register the Applications (and AppProjects) of a file (-f) or a kustomize folder (-k)')),
    'gitwave app create -f apps/orders-dev.yaml', 'gitwave app create -k argocd_application/overlays/dev')
    .option('-f, --file <file>', 'YAML file with one or more Application / AppProject documents')
    .option('-k, --kustomize <dir>', 'kustomize folder that renders to Applications / AppProjects')
    .option('--root <dir>', 'with -k: no file outside this folder is read (default: the Git top level)')
    .action(async (opts: ApiOptions & { file?: string; kustomize?: string; root?: string }) => {
      if (!opts.file === !opts.kustomize) throw new CliError('give exactly one of -f <file> or -k <kustomize dir>', 2);
      const { format, api } = apiOf(opts);
      const documents = opts.file ? fromFile(opts.file) : await fromKustomize(opts.kustomize!, opts.root);
      if (documents.length === 0) throw new CliError(`${opts.file ?? opts.kustomize}: no Application or AppProject documents`);
      const registered: Registered[] = [];
      const ordered = [...documents.filter((d) => d.kind === 'AppProject'), ...documents.filter((d) => d.kind === 'Application')];
      for (const doc of ordered) {
        try {
          await api.post(doc.kind === 'AppProject' ? '/api/projects' : '/api/applications', doc.text, 'application/yaml');
        } catch (error) {
          const done = registered.length > 0 ? ` (registered before this: ${registered.map((r) => `${r.kind}/${r.name}`).join(', ')})` : '';
          if (!(error instanceof ApiError)) throw error;
          const said = error.detail.includes('request body') ? error.detail.replace(/request body/g, doc.where) : `${doc.where}: ${doc.kind}/${doc.name}: ${error.detail}`;
          throw new CliError(`${said} (${error.status})${done}`);
        }
        registered.push({ kind: doc.kind, name: doc.name, where: doc.where });
      }
      printResult(format, registered, (wide) => wide
        ? table(['KIND', 'NAME', 'FROM'], registered.map((r) => [r.kind, r.name, r.where]))
        : registered.map((r) => `${r.kind}/${r.name} registered`).join('\n'));
    });

  example(withApiOptions(app.command('delete <name>').description('unregister an Application; --cascade also deletes what it deployed (default: keep the objects)')),
    'gitwave app delete orders-dev', 'gitwave app delete orders-dev --cascade')
    .option('--cascade', 'delete the deployed objects too, in reverse wave order (default: keep them)')
    .action(async (name: string, opts: ApiOptions & { cascade?: boolean }) => {
      const { format, api } = apiOf(opts);
      const answer = await api.delete<DeleteAnswer>(`/api/applications/${seg(name)}`, { cascade: opts.cascade ?? false });
      printResult(format, answer, (wide) => [
        answer.message,
        ...answer.deleted.map((d) => `  deleted ${d.kind}/${d.namespace ? `${d.namespace}/` : ''}${d.name}${wide ? ` (wave ${d.wave})` : ''}${d.outcome === 'deleting' ? ' (still finalizing)' : ''}`),
      ].join('\n'));
    });
}

/** The Application and AppProject documents of a file, each checked. */
function fromFile(file: string): Registration[] {
  const text = readInputFile(file, '-f');
  const docs = parseAllDocuments(text);
  const out: Registration[] = [];
  for (const doc of Array.isArray(docs) ? docs : [docs]) {
    if (doc.errors.length > 0) throw new CliError(`${file}: ${doc.errors[0].message}`);
    const value = doc.toJS() as unknown;
    if (value === null || value === undefined) continue;
    const line = lineOf(text, doc.range?.[0] ?? 0);
    out.push(checked(value, `${file}:${line}`, file));
  }
  return out;
}

/** The documents a kustomize folder renders to, each checked and named by the file it came from. */
async function fromKustomize(dir: string, root: string | undefined): Promise<Registration[]> {
  const result = await renderOrFail(renderRequest(dir, root));
  for (const warning of result.warnings) process.stderr.write(`gitwave: warning: ${warning}\n`);
  return result.objects.map(({ object, source }) => checked(object, `${dir} (rendered from ${source.file}:${source.line})`, dir));
}

function checked(value: unknown, where: string, file: string): Registration {
  const kind = (value as { kind?: unknown }).kind;
  try {
    if (kind === 'Application') {
      const app = parseApplicationObject(value, where);
      return { kind, name: app.metadata.name, where, text: stringify(value) };
    }
    if (kind === 'AppProject') {
      const project = parseAppProjectObject(value, where);
      return { kind, name: project.metadata.name, where, text: stringify(value) };
    }
  } catch (error) {
    if (error instanceof ModelError) throw new CliError(error.message);
    throw error;
  }
  throw new CliError(`${where}: kind ${String(kind)}: only Application and AppProject documents can be registered from ${file}`);
}

function lineOf(text: string, offset: number): number {
  return text.slice(0, offset).split('\n').length;
}
