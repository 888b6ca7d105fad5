# One line per fuzz target.
impd_fuzz_target(jid SOURCE ${CMAKE_CURRENT_SOURCE_DIR}/jid_fuzz.cpp LIBS impd_codec_xmpp)
impd_fuzz_target(scram SOURCE ${CMAKE_CURRENT_SOURCE_DIR}/scram_fuzz.cpp LIBS impd_codec_xmpp)
impd_fuzz_target(xml_stream SOURCE ${CMAKE_CURRENT_SOURCE_DIR}/xml_stream_fuzz.cpp LIBS impd_xml)
impd_fuzz_target(s2s_stream SOURCE ${CMAKE_CURRENT_SOURCE_DIR}/s2s_stream_fuzz.cpp LIBS impd_s2s)
impd_fuzz_target(pidf SOURCE ${CMAKE_CURRENT_SOURCE_DIR}/pidf_fuzz.cpp LIBS impd_codec_simple)
impd_fuzz_target(sip_message SOURCE ${CMAKE_CURRENT_SOURCE_DIR}/sip_message_fuzz.cpp LIBS impd_codec_sip)
impd_fuzz_target(sip_stream SOURCE ${CMAKE_CURRENT_SOURCE_DIR}/sip_stream_fuzz.cpp LIBS impd_sip)
impd_fuzz_target(sip_gateway SOURCE ${CMAKE_CURRENT_SOURCE_DIR}/sip_gateway_fuzz.cpp LIBS impd_gateway_translate)
