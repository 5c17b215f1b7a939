pub async fn expand(_r: &dyn crate::dns::Resolver, _d: &str) -> super::SpfTree {
    todo!()
}
