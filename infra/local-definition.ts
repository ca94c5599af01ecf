/**
 * The sync state machine's definition as the local runtime runs it: the very Amazon States Language
 * that `cdk synth` produces, taken from the synthesized template, with its CloudFormation tokens
 * (`Fn::Join`, `Fn::GetAtt`, pseudo parameters) resolved to local names. Each Lambda task then names
 * `arn:aws:lambda:<region>:<account>:function:gitwave-<key>`, and `bindTaskHandlers` maps every Task
 * state to the handler of that function for aws-local-stepfunctions' `taskResourceLocalHandlers`.
 *
 * @example
 * const definition = await loadStateMachineDefinition();
 * const machine = new StateMachine(definition);
 * machine.run(input, {
 *   overrides: { taskResourceLocalHandlers: bindTaskHandlers(definition, handlers), waitTimeOverrides: scaledWaits(definition, 0.01) },
 *   context: { Execution: { Id: executionArn, Name: name, Input: input, StartTime: new Date().toISOString() } },
 * });
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FUNCTION_KEYS, type FunctionKey } from '../shared/lambda/functions.ts';
import { STATE_MACHINE_METADATA } from './constructs/metadata.ts';

/** A state of the definition, loosely typed: only what binding and scaling need. */
export interface AslState {
  Type: string;
  Resource?: string;
  Seconds?: number;
  Branches?: AslDefinition[];
  [field: string]: unknown;
}
export interface AslDefinition {
  StartAt: string;
  States: Record<string, AslState>;
  [field: string]: unknown;
}

export interface LocalNames {
  region: string;
  accountId: string;
}

export const DEFAULT_LOCAL_NAMES: LocalNames = { region: 'us-east-1', accountId: '000000000000' };

type Template = { Resources: Record<string, { Type: string; Properties?: Record<string, unknown>; Metadata?: Record<string, unknown> }> };

export type MachineKind = 'sync' | 'writer';
export type AslDefinitions = Record<MachineKind, AslDefinition>;

/**
 * Both definitions (the sync state machine and the cluster writer), from `templatePath` (a synthesized
 * `Gitwave.template.json`) or, by default, from a synthesis of the stack in this process (stub code,
 * no bundling: a few seconds). The CDK is loaded only for a synthesis: importing it costs every process
 * that only binds or scales a cached definition over a second.
 */
export async function loadStateMachineDefinitions(options: { templatePath?: string; names?: LocalNames } = {}): Promise<AslDefinitions> {
  const template = options.templatePath ? JSON.parse(readFileSync(options.templatePath, 'utf8')) as Template : await synthesizeTemplate();
  const names = options.names ?? DEFAULT_LOCAL_NAMES;
  return { sync: definitionFromTemplate(template, 'sync', names), writer: definitionFromTemplate(template, 'writer', names) };
}

/** The sync state machine's definition (one Application's operation). */
export async function loadStateMachineDefinition(options: { templatePath?: string; names?: LocalNames } = {}): Promise<AslDefinition> {
  return (await loadStateMachineDefinitions(options)).sync;
}

/** The local ARN of a state machine. */
export function localStateMachineArn(kind: MachineKind, names: LocalNames = DEFAULT_LOCAL_NAMES): string {
  return `arn:aws:states:${names.region}:${names.accountId}:stateMachine:gitwave-${kind}`;
}

/** Resolves the state machine of `kind` in `template` to plain ASL with local names. */
function definitionFromTemplate(template: Template, kind: MachineKind, names: LocalNames = DEFAULT_LOCAL_NAMES): AslDefinition {
  const machines = Object.values(template.Resources).filter((r) => r.Type === 'AWS::StepFunctions::StateMachine' && r.Metadata?.[STATE_MACHINE_METADATA] === kind);
  if (machines.length !== 1) throw new Error(`template: expected one ${kind} state machine, found ${machines.length}`);
  const text = resolveToken(machines[0].Properties?.DefinitionString, template, names);
  if (typeof text !== 'string') throw new Error('template: the state machine DefinitionString did not resolve to a string');
  return JSON.parse(text) as AslDefinition;
}

/** The local ARN the definition uses for a function. */
function localFunctionArn(key: FunctionKey, names: LocalNames = DEFAULT_LOCAL_NAMES): string {
  return `arn:aws:lambda:${names.region}:${names.accountId}:function:gitwave-${key}`;
}

/** The function a local ARN names, or undefined. */
function functionKeyOfArn(arn: string): FunctionKey | undefined {
  const name = /:function:gitwave-([a-z-]+)$/.exec(arn)?.[1];
  return FUNCTION_KEYS.find((key) => key === name);
}

export type LocalHandler = (input: any) => Promise<any> | any;

/** The resource of a Task that runs a child execution and waits for it (the writer's `Sync Application`). */
export const START_EXECUTION_SYNC = /^arn:aws:states:::states:startExecution\.sync(:2)?$/;

/**
 * `taskResourceLocalHandlers`: every Task state (in branches and Map iterators too) bound to its
 * function's handler; a `startExecution.sync` task to `startChild`, which runs the child execution in
 * the local Step Functions stand-in and answers as the service does.
 */
export function bindTaskHandlers(definition: AslDefinition, handlers: Partial<Record<FunctionKey, LocalHandler>>, startChild?: LocalHandler): Record<string, LocalHandler> {
  const bound: Record<string, LocalHandler> = {};
  for (const [name, state] of allStates(definition)) {
    if (state.Type !== 'Task') continue;
    if (START_EXECUTION_SYNC.test(String(state.Resource))) {
      if (!startChild) throw new Error(`state ${name}: no local handler for child executions`);
      bound[name] = startChild;
      continue;
    }
    const key = functionKeyOfArn(String(state.Resource));
    if (!key) throw new Error(`state ${name}: resource ${String(state.Resource)} is not a gitwave function`);
    const handler = handlers[key];
    if (!handler) throw new Error(`state ${name}: no local handler for function ${key}`);
    bound[name] = handler;
  }
  return bound;
}

/** `waitTimeOverrides`: every Wait state's own duration times `scale`, in milliseconds. */
export function scaledWaits(definition: AslDefinition, scale: number): Record<string, number> {
  const waits: Record<string, number> = {};
  for (const [name, state] of allStates(definition)) {
    if (state.Type === 'Wait') waits[name] = Math.round((state.Seconds ?? 0) * 1000 * scale);
  }
  return waits;
}

/** Every state by name, descending into Parallel branches and Map iterators. */
export function allStates(definition: AslDefinition): Array<[string, AslState]> {
  return Object.entries(definition.States).flatMap(([name, state]): Array<[string, AslState]> => {
    const iterator = (state.ItemProcessor ?? state.Iterator) as AslDefinition | undefined;
    return [[name, state], ...(state.Branches ?? []).flatMap(allStates), ...(iterator?.States ? allStates(iterator) : [])];
  });
}

async function synthesizeTemplate(): Promise<Template> {
  const [{ App }, { GitwaveStack }] = await Promise.all([import('aws-cdk-lib'), import('./stack.ts')]);
  const outdir = mkdtempSync(join(tmpdir(), 'gitwave-synth-'));
  try {
    const app = new App({ outdir, context: { 'gitwave:codeMode': 'inline' } });
    const stack = new GitwaveStack(app, 'Gitwave', { codeMode: 'inline' });
    return app.synth().getStackByName(stack.stackName).template as Template;
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

function resolveToken(value: unknown, template: Template, names: LocalNames): unknown {
  if (typeof value === 'string') return value;
  if (!value || typeof value !== 'object') throw new Error(`template: cannot resolve ${JSON.stringify(value)}`);
  const token = value as Record<string, unknown>;
  if ('Fn::Join' in token) {
    const [separator, parts] = token['Fn::Join'] as [string, unknown[]];
    return parts.map((part) => resolveToken(part, template, names)).join(separator);
  }
  if ('Ref' in token) {
    const kind = template.Resources[String(token.Ref)]?.Metadata?.[STATE_MACHINE_METADATA];
    if (kind === 'sync' || kind === 'writer') return localStateMachineArn(kind, names);
    return resolveRef(String(token.Ref), names);
  }
  if ('Fn::GetAtt' in token) {
    const [logicalId, attribute] = token['Fn::GetAtt'] as [string, string];
    const key = template.Resources[logicalId]?.Metadata?.['gitwave:function'];
    if (attribute !== 'Arn' || typeof key !== 'string') throw new Error(`template: cannot resolve Fn::GetAtt ${logicalId}.${attribute} locally`);
    return localFunctionArn(key as FunctionKey, names);
  }
  throw new Error(`template: cannot resolve ${Object.keys(token).join(', ')} locally`);
}

function resolveRef(name: string, names: LocalNames): string {
  const pseudo: Record<string, string> = {
    'AWS::Partition': 'aws', 'AWS::Region': names.region, 'AWS::AccountId': names.accountId, 'AWS::URLSuffix': 'amazonaws.com',
  };
  const value = pseudo[name];
  if (value === undefined) throw new Error(`template: cannot resolve Ref ${name} locally`);
  return value;
}
