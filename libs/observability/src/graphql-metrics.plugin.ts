import type { ApolloServerPlugin } from '@apollo/server';
import { Kind } from 'graphql';
import type { MetricsService } from './metrics.service';

/** Request latency per operation name; anonymous operations are labelled by their first root field. */
export function graphqlMetricsPlugin(metrics: MetricsService): ApolloServerPlugin {
  return {
    async requestDidStart() {
      const end = metrics.graphqlDuration.startTimer();
      let operation = 'unknown';
      return {
        async didResolveOperation(ctx) {
          const first = ctx.operation?.selectionSet.selections[0];
          operation = (ctx.operationName ?? (first && first.kind === Kind.FIELD ? first.name.value : 'anonymous')).slice(0, 64);
        },
        async willSendResponse() {
          end({ operation });
        },
      };
    },
  };
}
