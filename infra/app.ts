/** The CDK app: one gitwave stack, checked by cdk-nag's AwsSolutions rules at every synth. */
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { optionsFromContext } from './config.ts';
import { GitwaveStack } from './stack.ts';

const app = new App();
new GitwaveStack(app, 'Gitwave', optionsFromContext(app));
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
