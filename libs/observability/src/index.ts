export { ObservabilityModule } from './observability.module';
export { MetricsService } from './metrics.service';
export { graphqlMetricsPlugin } from './graphql-metrics.plugin';
export { loggerParams } from './logging';
