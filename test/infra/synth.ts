/**
 * Synthesizes the gitwave stack for the infra tests, into a temporary directory, optionally under
 * cdk-nag's AwsSolutions checks. Synthesis throws when a check finds something not acknowledged; the
 * report (policy validation) is kept so the failing assertion can list the findings.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { App, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { PROJECT_ROOT } from '../../infra/paths.ts';
import { GitwaveStack, type GitwaveStackProps } from '../../infra/stack.ts';

export interface Synthesized {
  stack: GitwaveStack;
  template: Template;
  /** The raw template JSON as written to the cloud assembly. */
  json: Record<string, any>;
  outdir: string;
  cleanup(): void;
}

export function synthesize(props: GitwaveStackProps, options: { nag?: boolean; modify?: (stack: GitwaveStack) => void } = {}): Synthesized {
  // Inside the project, so that a bundle's external imports (@aws-sdk/*, provided by Lambda) resolve when a test loads it.
  mkdirSync(join(PROJECT_ROOT, 'cdk.out'), { recursive: true });
  const outdir = mkdtempSync(join(PROJECT_ROOT, 'cdk.out', 'test-'));
  const app = new App({ outdir });
  const stack = new GitwaveStack(app, 'Gitwave', { env: { account: '111111111111', region: 'eu-west-1' }, ...props });
  options.modify?.(stack);
  if (options.nag) Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  let assembly;
  try {
    assembly = app.synth();
  } catch (error) {
    const report = join(outdir, 'validation-report.json');
    const details = existsSync(report) ? readFileSync(report, 'utf8') : '';
    rmSync(outdir, { recursive: true, force: true });
    throw new Error(`${(error as Error).message}\n${details.slice(0, 8000)}`, { cause: error });
  }
  const json = assembly.getStackByName(stack.stackName).template as Record<string, any>;
  return {
    stack, json, outdir,
    template: Template.fromJSON(json),
    cleanup: () => rmSync(outdir, { recursive: true, force: true }),
  };
}

/** Logical id of the one Lambda function deployed for `key` (by the metadata GitwaveFunction sets). */
export function functionLogicalId(json: Record<string, any>, key: string): string {
  const ids = Object.entries(json.Resources as Record<string, any>)
    .filter(([, r]) => r.Type === 'AWS::Lambda::Function' && r.Metadata?.['gitwave:function'] === key)
    .map(([id]) => id);
  if (ids.length !== 1) throw new Error(`expected one function ${key}, found ${ids.length}`);
  return ids[0];
}

/** Every policy statement attached to the role of the function `key`. */
export function statementsOf(json: Record<string, any>, key: string): Array<Record<string, any>> {
  const fn = json.Resources[functionLogicalId(json, key)];
  const roleId = fn.Properties.Role['Fn::GetAtt'][0];
  return Object.values(json.Resources as Record<string, any>)
    .filter((r) => r.Type === 'AWS::IAM::Policy' && r.Properties.Roles.some((ref: any) => ref.Ref === roleId))
    .flatMap((r) => r.Properties.PolicyDocument.Statement);
}

/** All actions a function's role is allowed, flattened. */
export function actionsOf(json: Record<string, any>, key: string): string[] {
  return statementsOf(json, key).flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]));
}
