import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { ASTVisitor, GraphQLError, Kind, OperationTypeNode, SelectionNode, ValidationContext, ValidationRule } from 'graphql';

export const MAX_DEPTH = 8;
export const MAX_ALIASES = 15;

/**
 * Mutations that carry a credential or a code (contract: Abuse limits): a document with one of
 * them carries that one root field only, so aliases and batching cannot multiply guesses.
 */
export const SENSITIVE_MUTATIONS = new Set([
  'signUp',
  'signIn',
  'changePassword',
  'requestIdentifierVerification',
  'verifyIdentifier',
  'resendOtp',
  'requestPasswordReset',
  'verifyPasswordResetCode',
  'resetPassword',
  'requestIdentifierLink',
  'confirmIdentifierLink',
  'requestContactChange',
  'confirmContactChange',
  'requestAccountDeletion',
  'confirmAccountDeletion',
  'requestAccountDeletionCancellation',
  'confirmAccountDeletionCancellation',
  'refreshSession',
  'beginTotpEnrollment',
  'confirmTotpEnrollment',
  'enableCodeSecondFactor',
  'disableSecondFactor',
  'regenerateRecoveryCodes',
  'completeSignIn',
  'requestSecondFactorCode',
  'requestSignInCode',
  'signInWithCode',
]);

/** The root fields a selection set really selects, fragments and inline fragments expanded. */
function rootFieldNames(context: ValidationContext, selections: readonly SelectionNode[], seen = new Set<string>()): string[] {
  return selections.flatMap((s) => {
    if (s.kind === Kind.FIELD) return [s.name.value];
    if (s.kind === Kind.INLINE_FRAGMENT) return rootFieldNames(context, s.selectionSet.selections, seen);
    if (seen.has(s.name.value)) return [];
    seen.add(s.name.value);
    const fragment = context.getFragment(s.name.value);
    return fragment ? rootFieldNames(context, fragment.selectionSet.selections, seen) : [];
  });
}

export function singleSensitiveRootField(context: ValidationContext): ASTVisitor {
  return {
    OperationDefinition(node) {
      if (node.operation !== OperationTypeNode.MUTATION) return;
      // Counted after expanding fragments: `mutation { ...F } fragment F on Mutation { a: signIn b: signIn }` is two.
      const names = rootFieldNames(context, node.selectionSet.selections);
      if (names.some((n) => SENSITIVE_MUTATIONS.has(n)) && names.length > 1) {
        context.reportError(
          new GraphQLError('A credential or code mutation must be the only root field of its document.', {
            nodes: [node],
            extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
          }),
        );
      }
    },
  };
}

/** graphql-armor throws by default (a 500); report instead, as an ordinary validation error (HTTP 400). */
const report = {
  propagateOnRejection: false,
  exposeLimits: true,
  onReject: [
    (context: ValidationContext | null, error: GraphQLError) =>
      context?.reportError(new GraphQLError(error.message.replace(/^Syntax Error: /, ''), { extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } })),
  ],
};

export function documentLimitRules(): ValidationRule[] {
  return [maxDepthRule({ n: MAX_DEPTH, flattenFragments: true, ...report }), maxAliasesRule({ n: MAX_ALIASES, ...report }), singleSensitiveRootField];
}
