/* Client */
export { RedisCluster } from './redis-cluster';
export type { RedisClusterOptions, StreamCreatorOptions } from './redis-cluster';

/* Pub/Sub object (the seed's API) */
export { ClusterPubSub } from './cluster-pubsub';
export type { ClusterPubSubOptions, GetMessageOptions } from './cluster-pubsub';
export type { MessageHandler, SubscribeArg } from './subscribe-args';
export type { OverflowPolicy } from './message-queue';

/* Streams and messages */
export type {
  Encoding,
  Name,
  PubSubMessage,
  PubSubMessageType,
  SubscriptionKind,
} from './pubsub-message';
export type { NodeStatusEvent } from './node-status';
export type { RecoveryOptions } from './subscription-router';

/* Routing */
export { keySlot, SLOT_COUNT } from './key-slot';

/* Errors */
export {
  ClosedError,
  ClusterPubSubError,
  CommandFailedError,
  ConnectionLostError,
  InvalidArgumentError,
  QueueOverflowError,
  SubscribeFailedError,
  SubscriptionRefusedError,
} from './errors';
