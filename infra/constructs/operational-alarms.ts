/**
 * The alarms someone must act on: a request in the dead-letter queue (redrive it after the fix), a
 * sync that failed, timed out or was stopped, and the webhook answering 5xx (GitHub does not retry).
 * Alarm actions go to the topic given, if any.
 */
import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';

export interface OperationalAlarmsProps {
  readonly deadLetterQueue: sqs.IQueue;
  readonly stateMachine: sfn.StateMachine;
  readonly httpApi: apigw.IHttpApi;
  readonly stageName: string;
  readonly alarmTopic?: sns.ITopic;
}

export class OperationalAlarms extends Construct {
  readonly deadLetters: cloudwatch.Alarm;
  readonly failedSyncs: cloudwatch.Alarm;
  readonly webhook5xx: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: OperationalAlarmsProps) {
    super(scope, id);
    const period = Duration.minutes(1);
    this.deadLetters = atLeastOne(this, 'DeadLetters', 'a sync request is in the dead-letter queue',
      props.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ period, statistic: 'Maximum' }));
    this.failedSyncs = atLeastOne(this, 'FailedSyncs', 'a sync execution failed, timed out or was aborted',
      new cloudwatch.MathExpression({
        label: 'failed + timed out + aborted',
        expression: 'failed + timedOut + aborted',
        usingMetrics: {
          failed: props.stateMachine.metricFailed({ period }),
          timedOut: props.stateMachine.metricTimedOut({ period }),
          aborted: props.stateMachine.metricAborted({ period }),
        },
        period,
      }));
    // Route-level metric (the stage has detailed metrics on).
    this.webhook5xx = atLeastOne(this, 'Webhook5xx', 'the webhook answered GitHub with a 5xx; GitHub does not redeliver by itself',
      new cloudwatch.Metric({
        namespace: 'AWS/ApiGateway',
        metricName: '5xx',
        dimensionsMap: { ApiId: props.httpApi.apiId, Stage: props.stageName, Method: 'POST', Resource: '/webhooks/github' },
        statistic: 'Sum',
        period,
      }));
    if (props.alarmTopic) {
      for (const alarm of [this.deadLetters, this.failedSyncs, this.webhook5xx]) alarm.addAlarmAction(new actions.SnsAction(props.alarmTopic));
    }
  }
}

function atLeastOne(scope: Construct, id: string, description: string, metric: cloudwatch.IMetric): cloudwatch.Alarm {
  return new cloudwatch.Alarm(scope, id, {
    alarmDescription: `gitwave: ${description}`,
    metric,
    threshold: 1,
    evaluationPeriods: 1,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
  });
}
