import { Module } from '@nestjs/common';
import { NotificationsModule } from '@app/notifications';
import { OtpLimits } from './otp-limits';
import { OtpService } from './otp.service';
import { OtpResolver } from './otp.resolver';

@Module({
  imports: [NotificationsModule],
  providers: [OtpService, OtpLimits, OtpResolver],
  exports: [OtpService],
})
export class OtpModule {}
