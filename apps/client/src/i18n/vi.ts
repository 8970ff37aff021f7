import type { ErrorFacts, Formatters, Messages } from './en';

/** Vietnamese. Typed as `Messages`, so a key missing here fails the client's type check. */
export const vi: Messages = {
  meta: {
    languageName: 'Tiếng Việt',
    appName: 'Gatehouse',
    skipToContent: 'Bỏ qua để đến nội dung chính',
    languageSwitch: 'Ngôn ngữ',
    loading: 'Đang tải…',
    notFoundTitle: 'Không tìm thấy trang',
    notFoundBody: 'Trang này không tồn tại. Bạn có thể thử:',
  },
  nav: {
    signIn: 'Đăng nhập',
    signUp: 'Tạo tài khoản',
    verify: 'Thông tin đăng nhập của bạn',
    resetPassword: 'Quên mật khẩu?',
    signOut: 'Đăng xuất',
    mainMenu: 'Điều hướng chính',
  },
  fields: {
    username: 'Tên đăng nhập',
    usernameHint: 'Từ 3 đến 32 ký tự: chữ thường không dấu, chữ số, dấu chấm, gạch dưới, gạch ngang.',
    email: 'Email',
    phone: 'Số điện thoại',
    phoneHint: 'Ví dụ 0901 234 567 hoặc +84 90 123 4567.',
    displayName: 'Tên hiển thị',
    password: 'Mật khẩu',
    passwordHint: 'Từ 8 đến 128 ký tự. Tránh dùng mật khẩu phổ biến.',
    newPassword: 'Mật khẩu mới',
    confirmPassword: 'Nhập lại mật khẩu mới',
    showPassword: 'Hiện mật khẩu',
    identifier: 'Tên đăng nhập, email hoặc số điện thoại',
    code: 'Mã xác minh',
    optional: '(không bắt buộc)',
  },
  signUp: {
    title: 'Tạo tài khoản của bạn',
    intro: 'Thêm email hoặc số điện thoại để có thể đăng nhập bằng chúng và lấy lại mật khẩu khi cần.',
    submit: 'Tạo tài khoản',
    haveAccount: 'Đã có tài khoản?',
  },
  signIn: {
    title: 'Đăng nhập',
    submit: 'Đăng nhập',
    noAccount: 'Bạn chưa có tài khoản?',
    notVerifiedTitle: 'Xác minh để hoàn tất đăng nhập',
    notVerifiedBody: 'Thông tin này chưa được xác minh. Chúng tôi đã gửi mã đến đó: hãy nhập mã bên dưới, sau đó bạn sẽ được đăng nhập.',
    signedIn: 'Bạn đã đăng nhập.',
  },
  verify: {
    title: 'Thông tin đăng nhập của bạn',
    intro: 'Xác minh email và số điện thoại để đăng nhập bằng chúng và để lấy lại mật khẩu.',
    signedOut: 'Hãy đăng nhập để xem và xác minh thông tin đăng nhập của bạn.',
    sessionEnded: 'Phiên đăng nhập đã hết hạn. Vui lòng đăng nhập lại.',
    verified: 'Đã xác minh',
    notVerified: 'Chưa xác minh',
    sendCode: 'Gửi mã',
    sendNewCode: 'Gửi mã mới',
    verifiedNow: (value: string) => `Đã xác minh ${value}.`,
    typeUsername: 'Tên đăng nhập',
    typeEmail: 'Email',
    typePhone: 'Số điện thoại',
    signedInAs: (name: string) => `Đang đăng nhập: ${name}`,
  },
  otp: {
    sentTo: (destination: string) => `Chúng tôi đã gửi mã đến ${destination}.`,
    sent: 'Chúng tôi đã gửi mã cho bạn.',
    validUntil: (time: string) => `Mã có hiệu lực đến ${time}.`,
    submit: 'Xác minh',
    resend: 'Gửi lại mã',
    resendIn: (time: string) => `Gửi lại mã sau ${time}`,
    resent: 'Mã mới đang được gửi đến bạn. Mã trước đó không còn dùng được.',
    startOver: 'Làm lại từ đầu',
    attemptsLeft: (n: number) => `Bạn còn ${n} lần thử.`,
    codeHint: 'Mã nằm trong tin nhắn chúng tôi vừa gửi cho bạn.',
  },
  reset: {
    title: 'Đặt lại mật khẩu',
    stepIdentifier: 'Nhập tên đăng nhập, email hoặc số điện thoại của tài khoản. Nếu tìm thấy, chúng tôi sẽ gửi mã đến email hoặc số điện thoại đã xác minh của tài khoản đó.',
    sendCode: 'Gửi mã',
    stepCode: 'Nhập mã xác minh',
    stepPassword: 'Chọn mật khẩu mới',
    savePassword: 'Lưu mật khẩu mới',
    mismatch: 'Hai mật khẩu không giống nhau.',
    doneTitle: 'Đã đổi mật khẩu',
    doneBody: 'Mật khẩu của bạn đã được đổi và bạn đã được đăng xuất khỏi mọi thiết bị. Hãy đăng nhập bằng mật khẩu mới.',
    goSignIn: 'Đến trang đăng nhập',
    tokenExpired: 'Phiên đặt lại mật khẩu đã hết hạn. Vui lòng làm lại từ đầu.',
  },
  common: {
    working: 'Vui lòng đợi…',
    back: 'Quay lại',
    required: 'Vui lòng điền vào ô này.',
  },
  errors: {
    BAD_USER_INPUT: (f: ErrorFacts) => (f.field ? `Vui lòng kiểm tra lại giá trị này (${f.field}).` : 'Vui lòng kiểm tra lại thông tin bạn đã nhập.'),
    BAD_USER_INPUT_FIELD: 'Vui lòng kiểm tra lại giá trị này.',
    UNAUTHENTICATED: 'Phiên đăng nhập đã hết hạn. Vui lòng đăng nhập lại.',
    FORBIDDEN: 'Bạn không có quyền thực hiện thao tác này.',
    INVALID_CREDENTIALS: 'Thông tin đăng nhập hoặc mật khẩu không đúng.',
    IDENTIFIER_NOT_VERIFIED: 'Thông tin đăng nhập này chưa được xác minh.',
    ACCOUNT_DISABLED: 'Tài khoản này đã bị khóa hoặc vô hiệu hóa.',
    ACCOUNT_PENDING_DELETION: (f: ErrorFacts, fmt: Formatters) =>
      f.scheduledFor
        ? `Tài khoản này sẽ bị xóa vào ${fmt.dateTime(f.scheduledFor)}. Bạn vẫn có thể hủy yêu cầu xóa trước thời điểm đó.`
        : 'Tài khoản này đang chờ bị xóa.',
    IDENTIFIER_TAKEN: 'Giá trị này đã được một tài khoản khác sử dụng.',
    PASSWORD_POLICY: 'Mật khẩu này không được chấp nhận: hãy dùng từ 8 đến 128 ký tự, không phải mật khẩu phổ biến, và không trùng với tên đăng nhập, email hay số điện thoại của bạn.',
    OTP_INVALID: (f: ErrorFacts) =>
      f.attemptsRemaining !== undefined
        ? `Mã không đúng. Bạn còn ${f.attemptsRemaining} lần thử.`
        : 'Mã không hợp lệ. Hãy yêu cầu mã mới.',
    OTP_EXPIRED: 'Mã đã hết hạn. Hãy yêu cầu mã mới.',
    OTP_MAX_ATTEMPTS: 'Bạn đã nhập sai quá nhiều lần nên mã này không còn dùng được. Hãy yêu cầu mã mới.',
    OTP_RESEND_COOLDOWN: (f: ErrorFacts, fmt: Formatters) =>
      f.retryAfterSeconds !== undefined
        ? `Vui lòng đợi ${fmt.duration(f.retryAfterSeconds)} trước khi yêu cầu mã mới.`
        : 'Vui lòng đợi một lát trước khi yêu cầu mã mới.',
    RATE_LIMITED: (f: ErrorFacts, fmt: Formatters) =>
      f.retryAfterSeconds !== undefined
        ? `Bạn đã thử quá nhiều lần. Vui lòng thử lại sau ${fmt.duration(f.retryAfterSeconds)}.`
        : 'Bạn đã thử quá nhiều lần. Vui lòng thử lại sau.',
    LAST_IDENTIFIER: 'Không thể xóa thông tin đăng nhập đã xác minh cuối cùng của tài khoản.',
    NOT_FOUND: 'Không tìm thấy nội dung bạn yêu cầu.',
    GRAPHQL_VALIDATION_FAILED: 'Yêu cầu bị từ chối. Vui lòng tải lại trang và thử lại.',
    BAD_REQUEST: 'Yêu cầu bị từ chối. Vui lòng tải lại trang và thử lại.',
    SERVICE_UNAVAILABLE: 'Dịch vụ tạm thời gián đoạn. Vui lòng thử lại sau ít phút.',
    INTERNAL_SERVER_ERROR: 'Đã có lỗi xảy ra từ phía chúng tôi. Vui lòng thử lại.',
    NETWORK: 'Không thể kết nối đến máy chủ. Hãy kiểm tra kết nối mạng và thử lại.',
  },
  durations: {
    seconds: (n: number) => `${n} giây`,
    minutes: (n: number) => `${n} phút`,
    hours: (n: number) => `${n} giờ`,
  },
};
