export { OtpModule } from './otp.module';
export { OtpService } from './otp.service';
export type { ComposedSuccess, IssueRequest, VerifyRequest } from './otp.service';
export type { ChallengeRow } from './otp-challenges.repository';
export { OtpChallengeModel, OtpPurpose } from './otp-challenge.model';
export { SubmitOtpInput } from './submit-otp.input';
export { OtpException, OtpErrorCode } from './otp.exception';
export { lockChallengesForErasure, eraseChallenges } from './otp-challenges.repository';
export { purgeExpiredCodeHashes, purgeEndedChallenges } from './otp-challenges.retention';
