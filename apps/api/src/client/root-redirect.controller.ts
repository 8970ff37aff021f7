import { Controller, Get, Redirect } from '@nestjs/common';

/** `GET /` in a browser: the screens' front door (the API itself lives at /graphql). */
@Controller()
export class RootRedirectController {
  @Get()
  @Redirect('/app/sign-in', 302)
  root(): void {}
}
