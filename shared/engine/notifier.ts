/**
 * Sync notifications: one message per finished operation, on an SNS topic (optional: without a topic
 * nothing is sent). The message carries ids, the phase and the operation message only: never a
 * manifest, a diff or a token.
 */
import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';

export interface SyncNotification {
  app: string;
  syncId: string;
  cluster: string;
  phase: string;
  message: string;
  revision: string;
  dryRun: boolean;
  fromGit: boolean;
  finishedAt?: string;
}

export interface Notifier {
  notify(notification: SyncNotification): Promise<void>;
}

/**
 * The SNS adapter: the subject names the app and the outcome; attributes allow subscription filters.
 * @example const notifier = snsNotifier(new SNSClient({}), process.env.TOPIC_ARN!);
 */
export function snsNotifier(client: SNSClient, topicArn: string): Notifier {
  return {
    async notify(n) {
      await client.send(new PublishCommand({
        TopicArn: topicArn,
        Subject: `gitwave: ${n.app} ${n.phase.toLowerCase()}`.slice(0, 100),
        Message: JSON.stringify(n),
        MessageAttributes: {
          app: { DataType: 'String', StringValue: n.app },
          phase: { DataType: 'String', StringValue: n.phase },
        },
      }));
    },
  };
}
