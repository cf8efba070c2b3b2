//! Every answer type the portal decodes, in one list for the property tests and the fuzzer, so
//! a new answer type is covered by both or by neither.

/// Calls `$decode::<T>($input)` for every answer type.
macro_rules! each_answer {
    ($decode:ident, $input:expr) => {
        $decode::<SessionInfo>($input);
        $decode::<TokenGrant>($input);
        $decode::<Page<AccountOverview>>($input);
        $decode::<AccountOverview>($input);
        $decode::<Tam>($input);
        $decode::<Page<Case>>($input);
        $decode::<CaseIndex>($input);
        $decode::<CaseDetail>($input);
        $decode::<TimelineEvent>($input);
        $decode::<PortalConfig>($input);
        $decode::<EmbeddingPolicy>($input);
        $decode::<ErrorBody>($input);
        $decode::<UploadState>($input);
        $decode::<Page<WaitingRequest>>($input);
    };
}
pub(crate) use each_answer;
