// The slice of facebook-nodejs-business-sdk (plain JavaScript, no bundled types) that
// graph-client.ts uses. Only graph-client.ts may import the SDK.
declare module 'facebook-nodejs-business-sdk' {
  export class FacebookAdsApi {
    constructor(accessToken: string, locale?: string, crashLog?: boolean);
    static readonly VERSION: string;
    static readonly GRAPH: string;
    call(
      method: string,
      path: string | string[],
      params?: Record<string, unknown>,
      files?: Record<string, unknown>,
      useMultipartFormData?: boolean,
      urlOverride?: string,
    ): Promise<unknown>;
  }
  const sdk: { FacebookAdsApi: typeof FacebookAdsApi };
  export default sdk;
}
