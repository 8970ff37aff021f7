import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { IdentifierEntity } from './identifier.entity';
import { IdentifiersService } from './identifiers.service';

@Module({
  imports: [TypeOrmModule.forFeature([IdentifierEntity])],
  providers: [IdentifiersService],
  exports: [IdentifiersService],
})
export class IdentifiersModule {}
