import { ArgumentMetadata, Injectable, PipeTransform } from '@nestjs/common';
import { ApiException } from '@app/core';

/** Scalar string arguments (ids, cursors, reasons) get a ceiling too; input types carry their own @MaxLength. */
export const MAX_SCALAR_ARG_LENGTH = 1024;

@Injectable()
export class StringArgumentLimitPipe implements PipeTransform {
  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    const tooLong = (v: unknown) => typeof v === 'string' && v.length > MAX_SCALAR_ARG_LENGTH;
    if (tooLong(value) || (Array.isArray(value) && value.some(tooLong))) {
      throw ApiException.badInput(metadata.data ?? 'input', 'too_long');
    }
    return value;
  }
}
