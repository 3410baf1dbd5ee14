/** S3 buckets (flow logs, state, …): public access blocked and KMS encryption. */
import type { Resource, ResourceRule, StackContext } from '../model.js';
import { blocks, isTrue, refersTo } from '../values.js';

const PUBLIC_ACCESS_FLAGS = ['block_public_acls', 'block_public_policy', 'ignore_public_acls', 'restrict_public_buckets'];

function configurationsOf(bucket: Resource, stack: StackContext, type: string): Resource[] {
  return stack.resources(type).filter((configuration) => refersTo(configuration.attributes.bucket, bucket.type, bucket.name));
}

export const s3Rules: readonly ResourceRule[] = [
  {
    kind: 'resource',
    id: 'CKV2_AWS_6',
    alsoKnownAs: ['AVD-AWS-0086'],
    resourceTypes: ['aws_s3_bucket'],
    title: 'The bucket blocks every kind of public access',
    fix: `add an aws_s3_bucket_public_access_block for the bucket with ${PUBLIC_ACCESS_FLAGS.join(', ')} = true`,
    check: (bucket, stack) => {
      const blocksOfBucket = configurationsOf(bucket, stack, 'aws_s3_bucket_public_access_block');
      if (blocksOfBucket.length === 0) return 'no aws_s3_bucket_public_access_block refers to the bucket';
      const missing = PUBLIC_ACCESS_FLAGS.filter((flag) => !blocksOfBucket.some((block) => isTrue(block.attributes[flag])));
      return missing.length === 0 ? undefined : `public access block leaves off: ${missing.join(', ')}`;
    },
  },
  {
    kind: 'resource',
    id: 'CKV_AWS_145',
    alsoKnownAs: ['AVD-AWS-0132'],
    resourceTypes: ['aws_s3_bucket'],
    title: 'The bucket is encrypted with KMS by default',
    fix: 'add an aws_s3_bucket_server_side_encryption_configuration with sse_algorithm = "aws:kms" and a CMK',
    check: (bucket, stack) => {
      const rules = configurationsOf(bucket, stack, 'aws_s3_bucket_server_side_encryption_configuration').flatMap((configuration) => blocks(configuration.attributes.rule));
      const kms = rules.some((rule) => blocks(rule.apply_server_side_encryption_by_default).some((byDefault) => byDefault.sse_algorithm === 'aws:kms'));
      return kms ? undefined : 'no server-side encryption configuration with aws:kms refers to the bucket';
    },
  },
];
