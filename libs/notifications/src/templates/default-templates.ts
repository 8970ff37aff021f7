/**
 * Built-in message templates for every notification Gatehouse sends (one-time codes and security
 * notices), in English and Vietnamese, for e-mail and SMS.
 *
 * Templates are Handlebars source. Only double braces (`{{var}}`) are used, so every variable is
 * HTML-escaped when rendered. Variables:
 *   - code templates (`otp.*`):        code, expiresInMinutes, name, appName
 *   - notices (`notice.*`):             name, appName (+ scheduledFor for deletion notices)
 *
 * The copy lives in the compact COPY table below; the 76 explicit template strings are built from it
 * once, at module load, by the small layout functions further down.
 *
 * Conventions the rest of the system (and the tests) rely on:
 *   - in a text body / SMS, the code is the first run of 4+ digits;
 *   - in a text body, the code sits on a line of its own;
 *   - English SMS are ASCII-only and at most 160 characters once rendered;
 *   - no external resources and no links in any template.
 */
import { Channel, CHANNELS, Locale, LOCALES } from '@app/core';

export interface DefaultTemplate {
  /** Template key, e.g. `otp.verify_identifier`. */
  key: string;
  channel: Channel;
  locale: Locale;
  /** EMAIL: subject line (Handlebars). SMS: null. */
  subject: string | null;
  /** EMAIL: Handlebars HTML body. SMS: Handlebars plain text. */
  body: string;
  /** EMAIL: plain-text alternative (Handlebars). SMS: null. */
  textBody: string | null;
}

/** A paragraph of copy; `{ warn }` paragraphs are emphasised in the HTML body. */
type Paragraph = string | { warn: string };

interface CodeCopy {
  subject: string;
  /** Paragraphs before the code block. */
  intro: Paragraph[];
  /** Paragraphs after the expiry sentence. */
  outro: Paragraph[];
  sms: string;
}

interface NoticeCopy {
  subject: string;
  paragraphs: Paragraph[];
  sms: string;
}

type Localized<T> = Record<Locale, T>;

/** Per-locale fixed phrases shared by every template. */
const COMMON: Localized<{ greeting: string; anonymousGreeting: string; expiry: string; noShare: string }> = {
  en: {
    greeting: 'Hi {{name}},',
    anonymousGreeting: 'Hi,',
    expiry: 'This code expires in {{expiresInMinutes}} minutes.',
    noShare: 'Never share this code with anyone. {{appName}} will never ask you for it.',
  },
  vi: {
    greeting: 'Xin chào {{name}},',
    anonymousGreeting: 'Xin chào,',
    expiry: 'Mã này sẽ hết hạn sau {{expiresInMinutes}} phút.',
    noShare: 'Tuyệt đối không chia sẻ mã này cho bất kỳ ai. {{appName}} sẽ không bao giờ hỏi bạn mã này.',
  },
};

const FOOTER = '— {{appName}}';

// ---------------------------------------------------------------------------------------------
// Copy table: one-time codes
// ---------------------------------------------------------------------------------------------

const CODE_COPY: Record<string, Localized<CodeCopy>> = {
  'otp.verify_identifier': {
    en: {
      subject: 'Your {{appName}} verification code',
      intro: ['Use this code to confirm your email address:'],
      outro: ["If you didn't request this, you can safely ignore this email."],
      sms: "{{appName}}: {{code}} is your code to confirm this phone number. It expires in {{expiresInMinutes}} min. Don't share it.",
    },
    vi: {
      subject: 'Mã xác minh {{appName}} của bạn',
      intro: ['Hãy nhập mã dưới đây để xác nhận địa chỉ email của bạn:'],
      outro: ['Nếu bạn không yêu cầu mã này, bạn có thể yên tâm bỏ qua email này.'],
      sms: '{{appName}}: Mã xác nhận số điện thoại của bạn là {{code}}, hết hạn sau {{expiresInMinutes}} phút. Không chia sẻ mã này cho ai.',
    },
  },
  'otp.link_identifier': {
    en: {
      subject: 'Your {{appName}} code to add this email address',
      intro: ['Use this code to add this email address to your {{appName}} account:'],
      outro: ["If you didn't request this, you can ignore this email. The address won't be added without the code."],
      sms: "{{appName}}: {{code}} is your code to add this phone number to your account. It expires in {{expiresInMinutes}} min. Don't share it.",
    },
    vi: {
      subject: 'Mã xác nhận thêm email vào tài khoản {{appName}}',
      intro: ['Hãy nhập mã dưới đây để thêm địa chỉ email này vào tài khoản {{appName}} của bạn:'],
      outro: ['Nếu bạn không thực hiện yêu cầu này, hãy bỏ qua email này. Địa chỉ email sẽ không được thêm nếu không có mã.'],
      sms: '{{appName}}: Mã để thêm số điện thoại này vào tài khoản của bạn là {{code}}, hết hạn sau {{expiresInMinutes}} phút. Không chia sẻ mã này.',
    },
  },
  'otp.change_contact': {
    en: {
      subject: 'Confirm your new {{appName}} email address',
      intro: ['Use this code to make this your new email address on your {{appName}} account:'],
      outro: ["If you didn't request this change, ignore this email. Your current email address will stay the same."],
      sms: "{{appName}}: {{code}} is your code to make this your new phone number. It expires in {{expiresInMinutes}} min. Don't share it.",
    },
    vi: {
      subject: 'Xác nhận địa chỉ email mới cho tài khoản {{appName}}',
      intro: ['Hãy nhập mã dưới đây để dùng địa chỉ email này làm email mới cho tài khoản {{appName}} của bạn:'],
      outro: ['Nếu bạn không yêu cầu thay đổi này, hãy bỏ qua email này. Địa chỉ email hiện tại của bạn sẽ được giữ nguyên.'],
      sms: '{{appName}}: Mã để đổi sang số điện thoại mới này là {{code}}, hết hạn sau {{expiresInMinutes}} phút. Không chia sẻ mã này.',
    },
  },
  'otp.password_reset': {
    en: {
      subject: 'Reset your {{appName}} password',
      intro: ['We received a request to reset your password. Use this code to continue:'],
      outro: ["If you didn't ask to reset your password, you can ignore this email. Your password has not been changed."],
      sms: "{{appName}}: {{code}} is your password reset code. It expires in {{expiresInMinutes}} min. Didn't ask? Ignore this; your password is unchanged.",
    },
    vi: {
      subject: 'Đặt lại mật khẩu {{appName}}',
      intro: ['Chúng tôi đã nhận được yêu cầu đặt lại mật khẩu cho tài khoản của bạn. Hãy nhập mã dưới đây để tiếp tục:'],
      outro: ['Nếu bạn không yêu cầu đặt lại mật khẩu, hãy bỏ qua email này. Mật khẩu của bạn vẫn được giữ nguyên.'],
      sms: '{{appName}}: Mã đặt lại mật khẩu của bạn là {{code}}, hết hạn sau {{expiresInMinutes}} phút. Nếu bạn không yêu cầu, hãy bỏ qua; mật khẩu không đổi.',
    },
  },
  'otp.account_deletion': {
    en: {
      subject: 'Confirm deleting your {{appName}} account',
      intro: ['We received a request to delete your {{appName}} account. Use this code to confirm:'],
      outro: [
        { warn: "This is serious: once the deletion takes effect, your account and its data are permanently removed and can't be recovered." },
        "If you didn't request this, don't enter or share the code, and change your password right away.",
      ],
      sms: "{{appName}}: {{code}} is your code to DELETE your account. It expires in {{expiresInMinutes}} min. Not you? Don't share it; change your password.",
    },
    vi: {
      subject: 'Xác nhận xóa tài khoản {{appName}}',
      intro: ['Chúng tôi đã nhận được yêu cầu xóa tài khoản {{appName}} của bạn. Hãy nhập mã dưới đây để xác nhận:'],
      outro: [
        { warn: 'Xin lưu ý: khi việc xóa có hiệu lực, tài khoản và toàn bộ dữ liệu của bạn sẽ bị xóa vĩnh viễn và không thể khôi phục.' },
        'Nếu bạn không yêu cầu xóa tài khoản, đừng nhập hay chia sẻ mã này và hãy đổi mật khẩu ngay.',
      ],
      sms: '{{appName}}: Mã xác nhận XÓA tài khoản của bạn là {{code}}, hết hạn sau {{expiresInMinutes}} phút. Nếu không phải bạn, đừng chia sẻ mã và hãy đổi mật khẩu.',
    },
  },
  'otp.cancel_account_deletion': {
    en: {
      subject: 'Your code to cancel your {{appName}} account deletion',
      intro: ['Use this code to cancel the scheduled deletion of your {{appName}} account:'],
      outro: [
        'Once you enter it, your account is kept and you can sign in again as usual.',
        "If you didn't request this, you can ignore this email and the deletion will go ahead as scheduled.",
      ],
      sms: "{{appName}}: {{code}} is your code to cancel your account deletion. It expires in {{expiresInMinutes}} min. Don't share it.",
    },
    vi: {
      subject: 'Mã hủy yêu cầu xóa tài khoản {{appName}}',
      intro: ['Hãy nhập mã dưới đây để hủy lịch xóa tài khoản {{appName}} của bạn:'],
      outro: [
        'Sau khi nhập mã, tài khoản của bạn sẽ được giữ lại và bạn có thể đăng nhập như bình thường.',
        'Nếu bạn không yêu cầu, hãy bỏ qua email này; tài khoản sẽ vẫn bị xóa theo lịch.',
      ],
      sms: '{{appName}}: Mã hủy yêu cầu xóa tài khoản của bạn là {{code}}, hết hạn sau {{expiresInMinutes}} phút. Không chia sẻ mã này.',
    },
  },
  'otp.sign_in': {
    en: {
      subject: 'Your {{appName}} sign-in code',
      intro: ['Use this code to sign in to your {{appName}} account:'],
      outro: ["If you didn't try to sign in, ignore this email and don't share the code with anyone."],
      sms: "{{appName}}: {{code}} is your sign-in code. It expires in {{expiresInMinutes}} min. Didn't try to sign in? Ignore this; don't share it.",
    },
    vi: {
      subject: 'Mã đăng nhập {{appName}} của bạn',
      intro: ['Hãy nhập mã dưới đây để đăng nhập vào tài khoản {{appName}} của bạn:'],
      outro: ['Nếu bạn không đăng nhập, hãy bỏ qua email này và đừng chia sẻ mã với bất kỳ ai.'],
      sms: '{{appName}}: Mã đăng nhập của bạn là {{code}}, hết hạn sau {{expiresInMinutes}} phút. Nếu bạn không đăng nhập, hãy bỏ qua và đừng chia sẻ mã.',
    },
  },
  'otp.second_factor': {
    en: {
      subject: 'Your {{appName}} verification code',
      intro: ['Your password was accepted. Use this code to finish signing in to your {{appName}} account:'],
      outro: ["If you didn't just sign in, someone knows your password: change it right away."],
      sms: '{{appName}}: {{code}} is your code to finish signing in. It expires in {{expiresInMinutes}} min. Not you? Change your password now.',
    },
    vi: {
      subject: 'Mã xác minh {{appName}} của bạn',
      intro: ['Mật khẩu của bạn đã được chấp nhận. Hãy nhập mã dưới đây để hoàn tất đăng nhập vào tài khoản {{appName}}:'],
      outro: ['Nếu bạn vừa không đăng nhập, có người đã biết mật khẩu của bạn: hãy đổi mật khẩu ngay.'],
      sms: '{{appName}}: Mã hoàn tất đăng nhập của bạn là {{code}}, hết hạn sau {{expiresInMinutes}} phút. Nếu không phải bạn, hãy đổi mật khẩu ngay.',
    },
  },
};

// ---------------------------------------------------------------------------------------------
// Copy table: security notices
// ---------------------------------------------------------------------------------------------

const EN_ALL_GOOD = "If this was you, there's nothing else to do.";
const EN_NOT_YOU = "If this wasn't you, reset your password right away and contact our support team.";
const VI_ALL_GOOD = 'Nếu đó là bạn, bạn không cần làm gì thêm.';
const VI_NOT_YOU = 'Nếu không phải bạn, hãy đặt lại mật khẩu ngay và liên hệ bộ phận hỗ trợ.';

const NOTICE_COPY: Record<string, Localized<NoticeCopy>> = {
  'notice.password_changed': {
    en: {
      subject: 'Your {{appName}} password was changed',
      paragraphs: ['The password for your {{appName}} account was just changed or reset.', EN_ALL_GOOD, { warn: EN_NOT_YOU }],
      sms: "{{appName}}: Your password was just changed. If this wasn't you, reset your password now and contact support.",
    },
    vi: {
      subject: 'Mật khẩu {{appName}} của bạn đã được thay đổi',
      paragraphs: ['Mật khẩu tài khoản {{appName}} của bạn vừa được thay đổi hoặc đặt lại.', VI_ALL_GOOD, { warn: VI_NOT_YOU }],
      sms: '{{appName}}: Mật khẩu của bạn vừa được thay đổi. Nếu không phải bạn, hãy đặt lại mật khẩu ngay và liên hệ bộ phận hỗ trợ.',
    },
  },
  'notice.identifier_linked': {
    en: {
      subject: 'An email address or phone number was added to your {{appName}} account',
      paragraphs: ['A new email address or phone number was just added to your {{appName}} account.', EN_ALL_GOOD, { warn: EN_NOT_YOU }],
      sms: "{{appName}}: An email or phone number was just added to your account. If this wasn't you, reset your password now and contact support.",
    },
    vi: {
      subject: 'Tài khoản {{appName}} của bạn vừa được thêm email hoặc số điện thoại',
      paragraphs: ['Một địa chỉ email hoặc số điện thoại mới vừa được thêm vào tài khoản {{appName}} của bạn.', VI_ALL_GOOD, { warn: VI_NOT_YOU }],
      sms: '{{appName}}: Một email hoặc số điện thoại vừa được thêm vào tài khoản của bạn. Nếu không phải bạn, hãy đặt lại mật khẩu ngay và liên hệ hỗ trợ.',
    },
  },
  'notice.identifier_removed': {
    en: {
      subject: 'An email address or phone number was removed from your {{appName}} account',
      paragraphs: [
        'An email address or phone number was just removed from your {{appName}} account. It can no longer be used with your account.',
        EN_ALL_GOOD,
        { warn: EN_NOT_YOU },
      ],
      sms: "{{appName}}: An email or phone number was just removed from your account. If this wasn't you, reset your password now and contact support.",
    },
    vi: {
      subject: 'Email hoặc số điện thoại đã được gỡ khỏi tài khoản {{appName}}',
      paragraphs: [
        'Một địa chỉ email hoặc số điện thoại vừa được gỡ khỏi tài khoản {{appName}} của bạn và sẽ không còn dùng được với tài khoản này nữa.',
        VI_ALL_GOOD,
        { warn: VI_NOT_YOU },
      ],
      sms: '{{appName}}: Một email hoặc số điện thoại vừa được gỡ khỏi tài khoản của bạn. Nếu không phải bạn, hãy đặt lại mật khẩu ngay và liên hệ hỗ trợ.',
    },
  },
  'notice.contact_changed': {
    en: {
      subject: 'Your {{appName}} email address was changed',
      paragraphs: [
        "The email address on your {{appName}} account was just changed to a different one. You'll no longer receive account messages at this address.",
        EN_ALL_GOOD,
        {
          warn: "If this wasn't you, your account may be at risk: contact our support team right away, and reset your password from the sign-in screen if you still can.",
        },
      ],
      sms: "{{appName}}: The phone number on your account was just changed to a different one. If this wasn't you, contact support right away.",
    },
    vi: {
      subject: 'Địa chỉ email của tài khoản {{appName}} đã được thay đổi',
      paragraphs: [
        'Địa chỉ email của tài khoản {{appName}} vừa được đổi sang một địa chỉ khác. Từ nay, bạn sẽ không còn nhận được thông báo về tài khoản qua địa chỉ này.',
        VI_ALL_GOOD,
        {
          warn: 'Nếu không phải bạn thực hiện, tài khoản của bạn có thể đang gặp rủi ro: hãy liên hệ ngay bộ phận hỗ trợ và đặt lại mật khẩu từ màn hình đăng nhập nếu vẫn còn có thể.',
        },
      ],
      sms: '{{appName}}: Số điện thoại của tài khoản bạn vừa được đổi sang số khác. Nếu không phải bạn, hãy liên hệ bộ phận hỗ trợ ngay.',
    },
  },
  'notice.deletion_scheduled': {
    en: {
      subject: 'Your {{appName}} account is scheduled for deletion',
      paragraphs: [
        'Your {{appName}} account is scheduled to be permanently deleted on {{scheduledFor}}. Until then, signing in to it is blocked.',
        'Changed your mind? On the sign-in screen, choose "Cancel deletion" and enter this email address to get a code. You need to do this before {{scheduledFor}}.',
        { warn: "After that, your account and its data can't be recovered." },
      ],
      sms: '{{appName}}: Your account will be deleted on {{scheduledFor}}. To keep it, use "Cancel deletion" at sign-in with this number before then.',
    },
    vi: {
      subject: 'Tài khoản {{appName}} của bạn đã được lên lịch xóa',
      paragraphs: [
        'Tài khoản {{appName}} của bạn sẽ bị xóa vĩnh viễn vào {{scheduledFor}}. Từ nay đến lúc đó, bạn sẽ không thể đăng nhập vào tài khoản này.',
        'Nếu bạn đổi ý, hãy chọn "Hủy xóa tài khoản" trên màn hình đăng nhập và nhập địa chỉ email này để nhận mã. Bạn cần thực hiện trước {{scheduledFor}}.',
        { warn: 'Sau thời điểm đó, tài khoản và dữ liệu của bạn sẽ không thể khôi phục.' },
      ],
      sms: '{{appName}}: Tài khoản của bạn sẽ bị xóa vào {{scheduledFor}}. Để hủy, chọn "Hủy xóa tài khoản" khi đăng nhập và nhập số này trước thời hạn.',
    },
  },
  'notice.deletion_cancelled': {
    en: {
      subject: 'Your {{appName}} account deletion was cancelled',
      paragraphs: [
        'The scheduled deletion of your {{appName}} account has been cancelled. Your account is active again and you can sign in as usual.',
        EN_ALL_GOOD,
        { warn: EN_NOT_YOU },
      ],
      sms: "{{appName}}: Your account deletion was cancelled and you can sign in again. If this wasn't you, reset your password and contact support.",
    },
    vi: {
      subject: 'Đã hủy yêu cầu xóa tài khoản {{appName}}',
      paragraphs: [
        'Lịch xóa tài khoản {{appName}} của bạn đã được hủy. Tài khoản đã hoạt động trở lại và bạn có thể đăng nhập như bình thường.',
        VI_ALL_GOOD,
        { warn: VI_NOT_YOU },
      ],
      sms: '{{appName}}: Yêu cầu xóa tài khoản của bạn đã được hủy, bạn có thể đăng nhập lại. Nếu không phải bạn, hãy đặt lại mật khẩu và liên hệ hỗ trợ.',
    },
  },
  'notice.identifier_in_use': {
    en: {
      subject: 'Someone tried to use your email address on {{appName}}',
      paragraphs: [
        'Someone tried to register or link this email address, but it already belongs to your {{appName}} account. Nothing was changed.',
        "If this was you, sign in instead, or reset your password from the sign-in screen if you've forgotten it.",
        "If it wasn't you, you can ignore this email.",
      ],
      sms: '{{appName}}: Someone tried to register or link this number, but it is already yours. Nothing changed. If it was you, sign in or reset your password.',
    },
    vi: {
      subject: 'Có người vừa thử dùng email của bạn trên {{appName}}',
      paragraphs: [
        'Có người vừa thử đăng ký hoặc liên kết địa chỉ email này, nhưng địa chỉ này đã thuộc về tài khoản {{appName}} của bạn. Không có thay đổi nào được thực hiện.',
        'Nếu đó là bạn, hãy đăng nhập thay vì đăng ký, hoặc đặt lại mật khẩu từ màn hình đăng nhập nếu bạn quên mật khẩu.',
        'Nếu không phải bạn, bạn có thể bỏ qua email này.',
      ],
      sms: '{{appName}}: Số này đã thuộc tài khoản của bạn nên yêu cầu đăng ký/liên kết vừa rồi đã bị từ chối. Nếu là bạn, hãy đăng nhập hoặc đặt lại mật khẩu.',
    },
  },
  'notice.second_factor_enabled': {
    en: {
      subject: 'Two-step sign-in is now on for your {{appName}} account',
      paragraphs: ['Two-step sign-in was just turned on for your {{appName}} account. Other devices were signed out.', EN_ALL_GOOD, { warn: EN_NOT_YOU }],
      sms: "{{appName}}: Two-step sign-in was just turned on for your account. If this wasn't you, reset your password now and contact support.",
    },
    vi: {
      subject: 'Đăng nhập hai bước đã được bật cho tài khoản {{appName}}',
      paragraphs: ['Đăng nhập hai bước vừa được bật cho tài khoản {{appName}} của bạn. Các thiết bị khác đã bị đăng xuất.', VI_ALL_GOOD, { warn: VI_NOT_YOU }],
      sms: '{{appName}}: Đăng nhập hai bước vừa được bật cho tài khoản của bạn. Nếu không phải bạn, hãy đặt lại mật khẩu và liên hệ hỗ trợ.',
    },
  },
  'notice.second_factor_disabled': {
    en: {
      subject: 'Two-step sign-in was turned off for your {{appName}} account',
      paragraphs: [
        'Two-step sign-in was just turned off for your {{appName}} account. Your password alone now signs you in.',
        EN_ALL_GOOD,
        { warn: EN_NOT_YOU },
      ],
      sms: "{{appName}}: Two-step sign-in was just turned off for your account. If this wasn't you, reset your password now and contact support.",
    },
    vi: {
      subject: 'Đăng nhập hai bước đã bị tắt cho tài khoản {{appName}}',
      paragraphs: [
        'Đăng nhập hai bước vừa bị tắt cho tài khoản {{appName}} của bạn. Giờ đây chỉ cần mật khẩu là đăng nhập được.',
        VI_ALL_GOOD,
        { warn: VI_NOT_YOU },
      ],
      sms: '{{appName}}: Đăng nhập hai bước vừa bị tắt cho tài khoản của bạn. Nếu không phải bạn, hãy đặt lại mật khẩu và liên hệ hỗ trợ.',
    },
  },
  'notice.recovery_codes_regenerated': {
    en: {
      subject: 'New {{appName}} recovery codes were created',
      paragraphs: ['New recovery codes were just created for your {{appName}} account; the old ones no longer work.', EN_ALL_GOOD, { warn: EN_NOT_YOU }],
      sms: "{{appName}}: New recovery codes were created for your account; old ones no longer work. If this wasn't you, reset your password now.",
    },
    vi: {
      subject: 'Mã khôi phục {{appName}} mới đã được tạo',
      paragraphs: ['Mã khôi phục mới vừa được tạo cho tài khoản {{appName}} của bạn; các mã cũ không còn dùng được.', VI_ALL_GOOD, { warn: VI_NOT_YOU }],
      sms: '{{appName}}: Mã khôi phục mới vừa được tạo cho tài khoản của bạn; mã cũ không còn dùng được. Nếu không phải bạn, hãy đặt lại mật khẩu.',
    },
  },
  'notice.recovery_code_used': {
    en: {
      subject: 'A {{appName}} recovery code was used',
      paragraphs: ['One of your recovery codes was just used for your {{appName}} account. Each code works only once.', EN_ALL_GOOD, { warn: EN_NOT_YOU }],
      sms: "{{appName}}: One of your recovery codes was just used. If this wasn't you, reset your password now and contact support.",
    },
    vi: {
      subject: 'Một mã khôi phục {{appName}} vừa được sử dụng',
      paragraphs: ['Một mã khôi phục của tài khoản {{appName}} vừa được sử dụng. Mỗi mã chỉ dùng được một lần.', VI_ALL_GOOD, { warn: VI_NOT_YOU }],
      sms: '{{appName}}: Một mã khôi phục của bạn vừa được sử dụng. Nếu không phải bạn, hãy đặt lại mật khẩu và liên hệ hỗ trợ.',
    },
  },
};

// ---------------------------------------------------------------------------------------------
// Layout
// ---------------------------------------------------------------------------------------------

/** Escapes static copy for HTML. Handlebars expressions (`{{…}}`) contain none of these characters. */
function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function paragraphText(p: Paragraph): string {
  return typeof p === 'string' ? p : p.warn;
}

const STYLE = {
  body: 'margin:0;padding:0;background:#f4f4f5;',
  card:
    'max-width:480px;margin:0 auto;padding:24px;background:#ffffff;color:#222222;' + 'font-family:Arial,Helvetica,sans-serif;font-size:15px;line-height:1.5;',
  p: 'margin:0 0 16px;',
  warn: 'margin:0 0 16px;font-weight:bold;color:#b91c1c;',
  code:
    'margin:0 0 16px;padding:16px;background:#f4f4f5;border-radius:6px;text-align:center;' +
    "font-family:'Courier New',Courier,monospace;font-size:32px;font-weight:bold;letter-spacing:6px;",
  footer: 'margin:24px 0 0;color:#666666;font-size:13px;',
} as const;

function htmlParagraph(p: Paragraph): string {
  const style = typeof p === 'string' ? STYLE.p : STYLE.warn;
  return `<p style="${style}">${escapeHtml(paragraphText(p))}</p>`;
}

function htmlGreeting(locale: Locale): string {
  const c = COMMON[locale];
  return `<p style="${STYLE.p}">{{#if name}}${escapeHtml(c.greeting)}{{else}}${escapeHtml(c.anonymousGreeting)}{{/if}}</p>`;
}

function textGreeting(locale: Locale): string {
  const c = COMMON[locale];
  return `{{#if name}}${c.greeting}{{else}}${c.anonymousGreeting}{{/if}}`;
}

function htmlDocument(locale: Locale, inner: string[]): string {
  return [
    '<!DOCTYPE html>',
    `<html lang="${locale}">`,
    '<head><meta charset="utf-8"></head>',
    `<body style="${STYLE.body}">`,
    `<div style="${STYLE.card}">`,
    htmlGreeting(locale),
    ...inner,
    `<p style="${STYLE.footer}">${escapeHtml(FOOTER)}</p>`,
    '</div>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

function textDocument(locale: Locale, blocks: string[]): string {
  return [textGreeting(locale), ...blocks, FOOTER].join('\n\n') + '\n';
}

function codeTemplates(key: string, copy: Localized<CodeCopy>): DefaultTemplate[] {
  return LOCALES.flatMap((locale): DefaultTemplate[] => {
    const c = copy[locale];
    const common = COMMON[locale];
    const email: DefaultTemplate = {
      key,
      channel: 'EMAIL',
      locale,
      subject: c.subject,
      body: htmlDocument(locale, [
        ...c.intro.map(htmlParagraph),
        `<div style="${STYLE.code}">{{code}}</div>`,
        htmlParagraph(common.expiry),
        ...c.outro.map(htmlParagraph),
        htmlParagraph(common.noShare),
      ]),
      textBody: textDocument(locale, [...c.intro.map(paragraphText), '{{code}}', common.expiry, ...c.outro.map(paragraphText), common.noShare]),
    };
    const sms: DefaultTemplate = { key, channel: 'SMS', locale, subject: null, body: c.sms, textBody: null };
    return [email, sms];
  });
}

function noticeTemplates(key: string, copy: Localized<NoticeCopy>): DefaultTemplate[] {
  return LOCALES.flatMap((locale): DefaultTemplate[] => {
    const c = copy[locale];
    const email: DefaultTemplate = {
      key,
      channel: 'EMAIL',
      locale,
      subject: c.subject,
      body: htmlDocument(locale, c.paragraphs.map(htmlParagraph)),
      textBody: textDocument(locale, c.paragraphs.map(paragraphText)),
    };
    const sms: DefaultTemplate = { key, channel: 'SMS', locale, subject: null, body: c.sms, textBody: null };
    return [email, sms];
  });
}

// ---------------------------------------------------------------------------------------------
// Exports
// ---------------------------------------------------------------------------------------------

/** All 19 template keys: eight code templates, then eleven security notices. */
export const TEMPLATE_KEYS: readonly string[] = Object.freeze([...Object.keys(CODE_COPY), ...Object.keys(NOTICE_COPY)]);

/** The 76 built-in templates (19 keys × EMAIL/SMS × en/vi). */
export const DEFAULT_TEMPLATES: readonly DefaultTemplate[] = Object.freeze(
  [
    ...Object.entries(CODE_COPY).flatMap(([key, copy]) => codeTemplates(key, copy)),
    ...Object.entries(NOTICE_COPY).flatMap(([key, copy]) => noticeTemplates(key, copy)),
  ]
    .sort(
      (a, b) =>
        TEMPLATE_KEYS.indexOf(a.key) - TEMPLATE_KEYS.indexOf(b.key) ||
        CHANNELS.indexOf(a.channel) - CHANNELS.indexOf(b.channel) ||
        LOCALES.indexOf(a.locale) - LOCALES.indexOf(b.locale),
    )
    .map((t) => Object.freeze(t)),
);

/** Variables for test-rendering any template (covers every variable any template uses). */
export const SAMPLE_VARIABLES: Record<string, string | number> = {
  code: '123456',
  expiresInMinutes: 10,
  name: 'Alex',
  appName: 'Gatehouse',
  scheduledFor: '2026-12-01 10:00 UTC',
};
