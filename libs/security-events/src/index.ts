export { SecurityEventsModule } from './security-events.module';
export { SecurityEventsService } from './security-events.service';
export type { SecurityEventInput, SecurityEventListener } from './security-events.service';
export { SecurityEventType } from './security-event-type';
export { SecurityEventModel, SecurityEventConnectionModel, SecurityEventFilter } from './security-event.models';
export { purgeOldEvents } from './security-events.retention';
