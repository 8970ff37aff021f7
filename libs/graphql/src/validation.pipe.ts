import { Type, ValidationError, ValidationPipe } from '@nestjs/common';
import { ApiException } from '@app/core';

function firstFailure(errors: ValidationError[], prefix = ''): { field: string; reason: string } {
  for (const e of errors) {
    const path = prefix ? `${prefix}.${e.property}` : e.property;
    if (e.constraints && Object.keys(e.constraints).length > 0) {
      const kind = Object.keys(e.constraints)[0];
      const reason = kind === 'maxLength' || kind === 'arrayMaxSize' || kind === 'max' ? 'too_long' : kind === 'isNotEmpty' ? 'empty' : 'invalid';
      return { field: path, reason };
    }
    if (e.children?.length) return firstFailure(e.children, path);
  }
  return { field: prefix || 'input', reason: 'invalid' };
}

/**
 * class-validator failures become BAD_USER_INPUT naming the field (contract: Errors).
 * The field is the input's own property name (`email`, not `input.email`).
 */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    transform: true,
    whitelist: true,
    forbidUnknownValues: false,
    stopAtFirstError: true,
    exceptionFactory: (errors: ValidationError[]) => {
      const { field, reason } = firstFailure(errors);
      return ApiException.badInput(field.split('.').pop() ?? field, reason);
    },
  });
}

const pipe = createValidationPipe();

/**
 * The global pipe's checks and errors for code that runs before pipes do: a passport strategy
 * reads its GraphQL input in a guard, so it validates the input here first, the same way.
 */
export function validateInput<T extends object>(type: Type<T>, value: unknown): Promise<T> {
  return pipe.transform(value, { type: 'body', metatype: type, data: 'input' }) as Promise<T>;
}
