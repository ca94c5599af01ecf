/**
 * Whether an object is a sync hook (SPEC-sync §2.1), as far as health needs it: a hook Pod is never
 * "long-running", so a Pod hook waiting on an image is not failed early. The planner has the full
 * hook parsing; this is only the yes/no of gitops-engine's IsHook.
 */
import type { KubeObject } from '../model/object.ts';

const ARGO_HOOK = 'argocd.argoproj.io/hook';
const HELM_HOOK = 'helm.sh/hook';

function commaList(value: string): string[] {
  return [...new Set(value.split(',').map((v) => v.trim()).filter((v) => v !== ''))];
}

/**
 * True when the Argo hook annotation is present and not exactly `Skip`, or, without it, when a
 * `helm.sh/hook` other than `crd-install` is present.
 * @example isHook({ apiVersion: 'batch/v1', kind: 'Job', metadata: { annotations: { 'argocd.argoproj.io/hook': 'PreSync' } } }) // true
 */
export function isHook(obj: KubeObject): boolean {
  const annotations = obj.metadata.annotations ?? {};
  const argo = annotations[ARGO_HOOK];
  if (argo !== undefined) {
    const types = commaList(argo);
    return !(types.length === 1 && types[0] === 'Skip');
  }
  const helm = annotations[HELM_HOOK];
  if (helm === undefined) return false;
  return commaList(helm).some((t) => t !== 'crd-install');
}
