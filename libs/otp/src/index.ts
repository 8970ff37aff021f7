export { OtpChallengeModel, OtpChannel, OtpPurpose } from './otp-challenge.model';
