/**
 * The single DynamoDB table: applications, clusters, status, history, cluster locks and webhook
 * deliveries (key schema in shared/config/resources.ts, shared with shared/store and the local
 * runtime). Grants are by intent and by action, never `dynamodb:*`; where a function only touches
 * one kind of item, its grant is limited to that leading key prefix.
 */
import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { TABLE_SCHEMA } from '../../shared/config/resources.ts';
import type { GitwaveFunction } from './gitwave-function.ts';

const READ = ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query', 'dynamodb:ConditionCheckItem'];
const WRITE = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'];

export class StateTable extends Construct {
  readonly table: dynamodb.Table;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.table = new dynamodb.Table(this, 'Table', {
      partitionKey: { name: TABLE_SCHEMA.partitionKey, type: dynamodb.AttributeType.STRING },
      sortKey: { name: TABLE_SCHEMA.sortKey, type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      timeToLiveAttribute: TABLE_SCHEMA.timeToLiveAttribute,
      encryption: dynamodb.TableEncryption.AWS_MANAGED,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const gsi = TABLE_SCHEMA.byRepository;
    this.table.addGlobalSecondaryIndex({
      indexName: gsi.indexName,
      partitionKey: { name: gsi.partitionKey, type: dynamodb.AttributeType.STRING },
      sortKey: { name: gsi.sortKey, type: dynamodb.AttributeType.STRING },
      projectionType: dynamodb.ProjectionType.ALL,
    });
  }

  /** Reads of any item (applications, projects, clusters, status). */
  grantReadItems(fn: GitwaveFunction): void {
    fn.grant(new iam.PolicyStatement({ actions: READ, resources: [this.table.tableArn] }));
  }

  /** Reads and writes of any item, without table administration or scans. */
  grantReadWriteItems(fn: GitwaveFunction): void {
    fn.grant(new iam.PolicyStatement({ actions: [...READ, ...WRITE], resources: [this.table.tableArn] }));
  }

  /** The given actions on items whose partition key starts with `prefix` only (`dynamodb:LeadingKeys`). */
  grantItemsUnder(fn: GitwaveFunction, prefix: string, actions: string[]): void {
    fn.grant(new iam.PolicyStatement({
      actions,
      resources: [this.table.tableArn],
      conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [`${prefix}*`] } },
    }));
  }

  /** Query on the `byRepository` index: find Applications by repository and ref. */
  grantQueryByRepository(fn: GitwaveFunction): void {
    fn.grant(new iam.PolicyStatement({
      actions: ['dynamodb:Query'],
      resources: [`${this.table.tableArn}/index/${TABLE_SCHEMA.byRepository.indexName}`],
    }));
  }
}
