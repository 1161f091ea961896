"""What every layer above ``pipeline/`` shares: the settings, Kafka client options and the
aiokafka/Faust patches, below ``agents/`` so that the import direction stays one way."""
