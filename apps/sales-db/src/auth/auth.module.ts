import { Global, Module } from '@nestjs/common';
import { AuthService } from './auth.service';
import { BasicAuthGuard } from './basic-auth.guard';
import { CredentialsRepository } from './credentials.repository';

@Global()
@Module({
  providers: [AuthService, CredentialsRepository, BasicAuthGuard],
  exports: [AuthService, BasicAuthGuard],
})
export class AuthModule {}
