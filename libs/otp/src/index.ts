export { OtpModule } from './otp.module';
export { OtpService } from './otp.service';
export type { IssueRequest, VerifyRequest, ChallengeRow } from './otp.service';
export { OtpChallengeModel, OtpPurpose } from './otp-challenge.model';
export { SubmitOtpInput } from './submit-otp.input';
export { OtpException, OtpErrorCode } from './otp.exception';
export { lockChallengesForErasure, eraseChallenges, purgeExpiredCodeHashes, purgeEndedChallenges } from './otp-challenges.repository';
