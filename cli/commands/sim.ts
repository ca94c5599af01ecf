/**
 * `gitwave sim`: runs the Kubernetes API server simulator in the foreground until interrupted,
 * optionally writing a kubeconfig for kubectl and other clients.
 */
import { exampleText } from '../api-options.ts';
import type { Command } from 'commander';
import { CliError } from '../errors.ts';
import { startSimulator } from '../../local/kube-sim/index.ts';

interface SimFlags {
  port: string;
  tls?: boolean;
  kubeconfig?: string;
  schemas?: string;
  rolloutDelay: string;
  crdDelay: string;
}

function number(value: string, flag: string, integer = false): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0 || (integer && !Number.isInteger(n))) throw new CliError(`invalid ${flag} "${value}": expected a non-negative ${integer ? 'integer' : 'number'}`, 2);
  return n;
}

export function register(program: Command): void {
  program
    .command('sim')
    .description('run a Kubernetes API server simulator that kubectl and gitwave can use')
    .addHelpText('after', exampleText('gitwave sim --port 6443 --kubeconfig /tmp/sim.kubeconfig'))
    .option('--port <n>', 'port to listen on (0 = any free port)', '6443')
    .option('--tls', 'serve HTTPS with a self-signed certificate (needs openssl)')
    .option('--kubeconfig <file>', 'write a kubeconfig that points at the simulator')
    .option('--schemas <dir>', 'OpenAPI v3 documents of the Kubernetes version (default: $GITWAVE_SCHEMAS)')
    .option('--rollout-delay <s>', 'seconds before workloads, load balancers and volumes are ready', '1')
    .option('--crd-delay <s>', 'seconds before a CRD is Established', '0.5')
    .action(async (flags: SimFlags) => {
      const sim = await startSimulator({
        port: number(flags.port, '--port', true),
        tls: flags.tls,
        kubeconfigPath: flags.kubeconfig,
        schemasDir: flags.schemas ?? process.env.GITWAVE_SCHEMAS,
        rolloutDelaySeconds: number(flags.rolloutDelay, '--rollout-delay'),
        crdDelaySeconds: number(flags.crdDelay, '--crd-delay'),
      }).catch((error: Error) => {
        throw new CliError(`failed to start the simulator: ${error.message}`);
      });
      process.stdout.write(`kube-sim listening on ${sim.url}\n`);
      if (sim.kubeconfigPath) process.stdout.write(`kubeconfig written to ${sim.kubeconfigPath} (export KUBECONFIG=${sim.kubeconfigPath})\n`);
      await new Promise<void>((resolve) => {
        const stop = () => void sim.stop().then(resolve);
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
    });
}
