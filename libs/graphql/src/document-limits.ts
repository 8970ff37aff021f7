import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { ASTVisitor, GraphQLError, Kind, OperationTypeNode, ValidationContext, ValidationRule } from 'graphql';

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
]);

export function singleSensitiveRootField(context: ValidationContext): ASTVisitor {
  return {
    OperationDefinition(node) {
      if (node.operation !== OperationTypeNode.MUTATION) return;
      const selections = node.selectionSet.selections;
      const names = selections.map((s) => (s.kind === Kind.FIELD ? s.name.value : '…'));
      if (names.some((n) => SENSITIVE_MUTATIONS.has(n)) && selections.length > 1) {
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
  return [
    maxDepthRule({ n: MAX_DEPTH, flattenFragments: true, ...report }),
    maxAliasesRule({ n: MAX_ALIASES, ...report }),
    singleSensitiveRootField,
  ];
}
