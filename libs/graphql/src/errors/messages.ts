import { assertUnreachable, ErrorCode, type ErrorExtensions, isLocale, type Locale } from '@app/core';

type Text = Record<Locale, string>;

const REASONS: Record<string, Text> = {
  empty: { en: 'must not be empty', vi: 'không được để trống' },
  too_long: { en: 'is too long', vi: 'quá dài' },
  too_short: { en: 'is too short', vi: 'quá ngắn' },
  invalid_characters: { en: 'contains characters that are not allowed', vi: 'chứa ký tự không được phép' },
  invalid_format: { en: 'is not valid', vi: 'không hợp lệ' },
  looks_like_email: { en: 'must not look like an email address', vi: 'không được có dạng địa chỉ email' },
  looks_like_phone: { en: 'must not look like a phone number', vi: 'không được có dạng số điện thoại' },
  quoted_local_part: { en: 'must not use a quoted local part', vi: 'không được dùng phần tên trong dấu ngoặc kép' },
  required: { en: 'is required', vi: 'là bắt buộc' },
  invalid: { en: 'is not valid', vi: 'không hợp lệ' },
  verify_first: {
    en: 'needs a verified email or phone: verify one first',
    vi: 'cần một email hoặc số điện thoại đã xác minh: hãy xác minh trước',
  },
  already_yours: { en: 'is already verified on this account', vi: 'đã được xác minh trên tài khoản này' },
  limit_reached: { en: 'has reached the maximum number allowed', vi: 'đã đạt số lượng tối đa cho phép' },
  cursor: { en: 'is not a cursor this service issued', vi: 'không phải con trỏ do dịch vụ cấp' },
};

/** PASSWORD_POLICY's message by the policy rule that refused the password. */
const PASSWORD_POLICY: Record<string, Text> = {
  too_short: { en: 'The password must be at least 8 characters.', vi: 'Mật khẩu phải có ít nhất 8 ký tự.' },
  too_long: { en: 'The password must be at most 128 characters.', vi: 'Mật khẩu chỉ được dài tối đa 128 ký tự.' },
  common: { en: 'This password is too common. Choose another one.', vi: 'Mật khẩu này quá phổ biến. Hãy chọn mật khẩu khác.' },
  equals_identifier: {
    en: 'The password must not be your username, email or phone.',
    vi: 'Mật khẩu không được trùng tên đăng nhập, email hoặc số điện thoại.',
  },
  default: { en: 'This password is not allowed.', vi: 'Mật khẩu này không được phép.' },
};

const FIELD_NAMES: Record<string, Text> = {
  username: { en: 'Username', vi: 'Tên đăng nhập' },
  email: { en: 'Email', vi: 'Email' },
  phone: { en: 'Phone number', vi: 'Số điện thoại' },
  password: { en: 'Password', vi: 'Mật khẩu' },
  identifier: { en: 'Identifier', vi: 'Định danh' },
  code: { en: 'Code', vi: 'Mã' },
  channel: { en: 'Channel', vi: 'Kênh' },
  reason: { en: 'Reason', vi: 'Lý do' },
  value: { en: 'Value', vi: 'Giá trị' },
  newValue: { en: 'New value', vi: 'Giá trị mới' },
  resetToken: { en: 'Reset token', vi: 'Mã đặt lại' },
  after: { en: 'Cursor', vi: 'Con trỏ' },
  first: { en: 'Page size', vi: 'Kích thước trang' },
  search: { en: 'Search', vi: 'Tìm kiếm' },
  challengeId: { en: 'Challenge', vi: 'Phiên mã' },
  currentPassword: { en: 'Current password', vi: 'Mật khẩu hiện tại' },
  newPassword: { en: 'New password', vi: 'Mật khẩu mới' },
  displayName: { en: 'Display name', vi: 'Tên hiển thị' },
  firstName: { en: 'First name', vi: 'Tên' },
  lastName: { en: 'Last name', vi: 'Họ' },
  timezone: { en: 'Time zone', vi: 'Múi giờ' },
  organizationName: { en: 'Organization name', vi: 'Tên tổ chức' },
};

function fieldName(field: string | undefined, locale: Locale): string {
  if (!field) return locale === 'vi' ? 'Giá trị' : 'Value';
  const last = field.split('.').pop() ?? field;
  return FIELD_NAMES[last]?.[locale] ?? last;
}

/** The localized message of an error code (contract: messages are localized en / vi). */
export function messageFor(code: ErrorCode, locale: Locale, d: ErrorExtensions = {}): string {
  const t = (text: Text) => text[locale];
  switch (code) {
    case ErrorCode.BAD_USER_INPUT: {
      const reason = REASONS[d.reason ?? 'invalid'] ?? REASONS.invalid;
      return `${fieldName(d.field, locale)} ${t(reason)}.`;
    }
    case ErrorCode.UNAUTHENTICATED:
      return t({ en: 'You need to sign in.', vi: 'Bạn cần đăng nhập.' });
    case ErrorCode.FORBIDDEN:
      if (d.reason === 'second_factor_setup_required') {
        return t({ en: 'Set up a second sign-in step first.', vi: 'Hãy thiết lập bước đăng nhập thứ hai trước.' });
      }
      if (d.reason === 'sign_in_with_code_off') {
        return t({ en: 'Signing in with a code is turned off.', vi: 'Đăng nhập bằng mã đã bị tắt.' });
      }
      return t({ en: 'You are not allowed to do this.', vi: 'Bạn không có quyền thực hiện thao tác này.' });
    case ErrorCode.INVALID_CREDENTIALS:
      return t({ en: 'The identifier or password is incorrect.', vi: 'Định danh hoặc mật khẩu không đúng.' });
    case ErrorCode.IDENTIFIER_NOT_VERIFIED:
      return t({
        en: 'This identifier is not verified yet. We sent a code to verify it.',
        vi: 'Định danh này chưa được xác minh. Chúng tôi đã gửi mã để xác minh.',
      });
    case ErrorCode.ACCOUNT_DISABLED:
      return t({ en: 'This account is disabled.', vi: 'Tài khoản này đã bị vô hiệu hóa.' });
    case ErrorCode.ACCOUNT_PENDING_DELETION:
      return t({
        en: 'This account is scheduled for deletion. You can still cancel it.',
        vi: 'Tài khoản này đã được lên lịch xóa. Bạn vẫn có thể hủy yêu cầu.',
      });
    case ErrorCode.IDENTIFIER_TAKEN:
      return t({ en: 'This identifier is already in use.', vi: 'Định danh này đã được sử dụng.' });
    case ErrorCode.PASSWORD_POLICY:
      return t(PASSWORD_POLICY[d.reason ?? ''] ?? PASSWORD_POLICY.default);
    case ErrorCode.OTP_INVALID:
      return t({ en: 'The code is incorrect.', vi: 'Mã không đúng.' });
    case ErrorCode.OTP_EXPIRED:
      return t({ en: 'The code has expired. Ask for a new one.', vi: 'Mã đã hết hạn. Hãy yêu cầu mã mới.' });
    case ErrorCode.OTP_MAX_ATTEMPTS:
      return t({ en: 'Too many wrong codes. Ask for a new one.', vi: 'Nhập sai mã quá nhiều lần. Hãy yêu cầu mã mới.' });
    case ErrorCode.OTP_RESEND_COOLDOWN:
      return t({ en: 'Please wait before asking for a new code.', vi: 'Vui lòng chờ trước khi yêu cầu mã mới.' });
    case ErrorCode.RATE_LIMITED:
      return t({ en: 'Too many attempts. Try again later.', vi: 'Quá nhiều lần thử. Hãy thử lại sau.' });
    case ErrorCode.LAST_IDENTIFIER:
      return t({
        en: 'You cannot remove your last verified identifier.',
        vi: 'Bạn không thể xóa định danh đã xác minh cuối cùng.',
      });
    case ErrorCode.NOT_FOUND:
      return t({ en: 'Not found.', vi: 'Không tìm thấy.' });
    case ErrorCode.SECOND_FACTOR_REQUIRED:
      return t({ en: 'Enter the code of your second sign-in step to finish signing in.', vi: 'Nhập mã của bước đăng nhập thứ hai để hoàn tất đăng nhập.' });
    case ErrorCode.SECOND_FACTOR_ALREADY_ENABLED:
      return t({ en: 'A second sign-in step is already on. Turn it off first.', vi: 'Bước đăng nhập thứ hai đã được bật. Hãy tắt nó trước.' });
    case ErrorCode.SERVICE_UNAVAILABLE:
      return t({ en: 'The service is temporarily unavailable. Try again shortly.', vi: 'Dịch vụ tạm thời không khả dụng. Hãy thử lại sau ít phút.' });
    case ErrorCode.INTERNAL_SERVER_ERROR:
      return t({ en: 'Something went wrong on our side.', vi: 'Đã có lỗi xảy ra ở phía chúng tôi.' });
    default:
      return assertUnreachable(code);
  }
}

/** `vi-VN,vi;q=0.9,en;q=0.5` → 'vi'; anything unsupported → undefined. */
export function localeFromAcceptLanguage(header: string | undefined): Locale | undefined {
  if (!header) return undefined;
  const ranked = header
    .split(',')
    .map((part) => {
      const [tag, ...params] = part.trim().split(';');
      const q = params.map((p) => /^\s*q=([\d.]+)/.exec(p)?.[1]).find(Boolean);
      return { lang: tag.trim().toLowerCase().split('-')[0], q: q === undefined ? 1 : Number(q) };
    })
    .filter((x) => x.q > 0)
    .sort((a, b) => b.q - a.q);
  for (const r of ranked) if (isLocale(r.lang)) return r.lang;
  return undefined;
}
