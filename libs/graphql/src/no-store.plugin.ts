import type { ApolloServerPlugin } from '@apollo/server';

/**
 * Every GraphQL answer says `Cache-Control: no-store`: answers carry tokens and personal data,
 * and no browser or proxy may keep them. Apollo's default cache-control plugin said the same
 * for our (hint-less) schema, but it wraps every field's resolver to compute cache hints
 * nobody uses (an admin page of 20 accounts served ×1.14 without it, issue 8); it is disabled in
 * its place.
 */
export function noStorePlugin(): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response }) {
          response.http.headers.set('cache-control', 'no-store');
        },
      };
    },
  };
}
