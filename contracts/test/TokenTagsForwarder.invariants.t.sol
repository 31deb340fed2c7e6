// SPDX-License-Identifier: MIT
pragma solidity ^0.8.27;

import {ERC2771Context} from "@openzeppelin/contracts/metatx/ERC2771Context.sol";
import {ERC2771Forwarder} from "@openzeppelin/contracts/metatx/ERC2771Forwarder.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {Fixture} from "./utils/Fixture.sol";
import {Reverts} from "./utils/Reverts.sol";
import {Test} from "./utils/Test.sol";
import {TagToken} from "../src/TagToken.sol";
import {TokenTagsForwarder} from "../src/TokenTagsForwarder.sol";

/// @dev A target trusting the forwarder that records who it saw as the sender of each tagged call, and when.
contract ForwardRecorder is ERC2771Context {
    mapping(uint256 tag => address) public senderOf;
    mapping(uint256 tag => uint256) public timesExecuted;
    mapping(uint256 tag => uint256) public executedAt;
    mapping(uint256 tag => uint256) public valueOf;

    constructor(address forwarder) ERC2771Context(forwarder) {}

    function record(uint256 tag) external payable {
        senderOf[tag] = _msgSender();
        ++timesExecuted[tag];
        executedAt[tag] = block.timestamp;
        valueOf[tag] = msg.value;
    }
}

/**
 * @dev Signs forward requests at random (three signers; valid, for a later nonce, expired, forged `from`, to a
 * target that does not trust the forwarder) and relays them one by one, in batches (with and without a refund
 * receiver) and again (replays). Every outcome is predicted from a model of the signers' nonces and the requests'
 * deadlines; refusals must carry the forwarder's named error.
 */
contract ForwarderHandler is Fixture {
    struct Signed {
        ERC2771Forwarder.ForwardRequestData request;
        uint256 nonce; // the nonce it was signed for
        address recoversTo; // who signed it (not `from` when forged)
        uint256 slot; // index of `from` in `signers`
        bool executed;
    }

    address public constant SINK = address(0x51);
    address public constant RELAYER = address(0x5E1A7);
    address public constant REFUNDS = address(0x2EF0);

    ForwardRecorder public recorder;
    TagToken public untrusting; // a token that trusts no forwarder
    address[3] public signers;
    uint256[3] internal _keys;
    Signed[] internal _signed; // a request's tag is its index

    uint256 public calls;
    mapping(address signer => uint256) public ghostNonce;
    uint256 public tokenTransfers;
    uint256 public executed;
    uint256 public replaysRefused;
    mapping(bytes4 error => uint256) public refused;

    modifier counted() {
        ++calls;
        _;
    }

    constructor() {
        setUp();
        recorder = new ForwardRecorder(address(forwarder));
        untrusting = new TagToken("Untrusting", "UNT", address(this), 1e30, address(0));
        for (uint256 i = 0; i < 3; ++i) {
            (signers[i], _keys[i]) = makeAddrAndKey(string.concat("signer", vm.toString(i)));
            vm.prank(admin);
            token.transfer(signers[i], 1e24);
            untrusting.transfer(signers[i], 1e24);
        }
    }

    function actions() external pure returns (bytes4[] memory selectors) {
        selectors = new bytes4[](6);
        selectors[0] = this.sign.selector;
        selectors[1] = this.sign.selector;
        selectors[2] = this.execute.selector;
        selectors[3] = this.executeBatch.selector;
        selectors[4] = this.replay.selector;
        selectors[5] = this.warp.selector;
    }

    function forwarderContract() external view returns (TokenTagsForwarder) {
        return forwarder;
    }

    function tokenContract() external view returns (TagToken) {
        return token;
    }

    function signedCount() external view returns (uint256) {
        return _signed.length;
    }

    function signed(uint256 tag) external view returns (Signed memory) {
        return _signed[tag];
    }

    /// @dev Signs a request; `mode` picks its target (recorder, token, untrusting token) and its flaw, if any.
    function sign(uint256 who, uint64 deadlineOffset, uint8 mode) external counted {
        _sign(who % 3, mode % 6, mode / 6 % 8, deadlineOffset);
    }

    function execute(uint256 index) external counted {
        if (_signed.length == 0) return;
        _executeOne(bound(index, 0, _signed.length - 1));
    }

    /// @dev Relays an already executed request again (signing and relaying a fresh one first if there is none):
    /// the forwarder must refuse it as signed by someone else, since the signer's nonce moved on.
    function replay(uint256 index, uint256 who) external counted {
        uint256 tag = type(uint256).max;
        for (uint256 i = 0; i < _signed.length; ++i) {
            uint256 candidate = (index % _signed.length + i) % _signed.length;
            if (_signed[candidate].executed) {
                tag = candidate;
                break;
            }
        }
        if (tag == type(uint256).max) {
            tag = _sign(who % 3, 0, 0, 1 hours);
            _executeOne(tag);
        }
        uint256 times = recorder.timesExecuted(tag);
        uint256 sunk = token.balanceOf(SINK);
        _executeOne(tag);
        assertEq(recorder.timesExecuted(tag), times, "a replay runs nothing");
        assertEq(token.balanceOf(SINK), sunk, "a replay moves nothing");
        ++replaysRefused;
    }

    /// @dev Relays up to three requests (possibly the same twice) in one batch. With a refund receiver the invalid
    /// ones are skipped and their value refunded; without one, the first invalid one reverts the whole batch.
    function executeBatch(uint256 a, uint256 b, uint256 c, bool refund) external counted {
        if (_signed.length == 0) return;
        uint256[] memory tags = new uint256[](3);
        (tags[0], tags[1], tags[2]) =
            (bound(a, 0, _signed.length - 1), bound(b, 0, _signed.length - 1), bound(c, 0, _signed.length - 1));
        ERC2771Forwarder.ForwardRequestData[] memory requests = new ERC2771Forwarder.ForwardRequestData[](3);
        uint256[3] memory nonces = [ghostNonce[signers[0]], ghostNonce[signers[1]], ghostNonce[signers[2]]];
        bool[] memory valid = new bool[](3);
        uint256 value;
        uint256 refundDue;
        bytes memory firstError;
        for (uint256 i = 0; i < 3; ++i) {
            Signed storage s = _signed[tags[i]];
            requests[i] = s.request;
            value += s.request.value;
            uint256 slot = s.slot;
            bytes memory error = _expectedError(s, nonces[slot]);
            if (error.length == 0) {
                valid[i] = true;
                ++nonces[slot];
            } else {
                refundDue += s.request.value;
                if (firstError.length == 0) firstError = error;
            }
        }
        address receiver = refund ? REFUNDS : address(0);
        uint256 refundsBefore = REFUNDS.balance;
        vm.deal(RELAYER, value);
        vm.prank(RELAYER);
        try forwarder.executeBatch{value: value}(requests, payable(receiver)) {
            if (!refund && firstError.length != 0) revert Reverts.RevertsExpectedRevert(Reverts.selector(firstError));
            for (uint256 i = 0; i < 3; ++i) {
                if (valid[i]) _executed(tags[i]);
            }
            assertEq(REFUNDS.balance - refundsBefore, refundDue, "the skipped requests' value is refunded");
        } catch (bytes memory reason) {
            if (refund || firstError.length == 0) Reverts.bubble(reason);
            _checkRefusal(reason, firstError);
        }
        assertEq(RELAYER.balance, refund || firstError.length == 0 ? 0 : value, "the relayer pays exactly the values");
    }

    function warp(uint256 seconds_) external counted {
        vm.warp(block.timestamp + bound(seconds_, 1, 1 days));
    }

    // --- model ---

    /// @dev The error relaying `s` alone now must revert with (empty: it must execute), in the forwarder's order:
    /// target trusts it, deadline not passed, signature by `from` for `from`'s current nonce.
    function _expectedError(Signed storage s, uint256 currentNonce) internal view returns (bytes memory) {
        ERC2771Forwarder.ForwardRequestData storage r = s.request;
        if (r.to == address(untrusting)) {
            return abi.encodeWithSelector(ERC2771Forwarder.ERC2771UntrustfulTarget.selector, r.to, address(forwarder));
        }
        if (block.timestamp > r.deadline) {
            return abi.encodeWithSelector(ERC2771Forwarder.ERC2771ForwarderExpiredRequest.selector, r.deadline);
        }
        if (s.recoversTo != r.from || s.nonce != currentNonce) {
            // for another nonce the signature recovers to an unpredictable address: only `from` is checked
            address recovered = s.nonce == currentNonce ? s.recoversTo : address(0);
            return abi.encodeWithSelector(ERC2771Forwarder.ERC2771ForwarderInvalidSigner.selector, recovered, r.from);
        }
        return "";
    }

    // --- helpers ---

    function _sign(uint256 who, uint256 target, uint256 flaw, uint64 deadlineOffset) internal returns (uint256 tag) {
        tag = _signed.length;
        address from = signers[who];
        ERC2771Forwarder.ForwardRequestData memory request;
        request.from = from;
        request.gas = 200_000;
        if (target < 3) {
            request.to = address(recorder);
            request.value = tag % 3 == 0 ? tag + 1 : 0;
            request.data = abi.encodeCall(ForwardRecorder.record, (tag));
        } else {
            request.to = target < 5 ? address(token) : address(untrusting);
            request.data = abi.encodeCall(IERC20.transfer, (SINK, 1));
        }
        request.deadline = flaw == 2
            ? uint48(block.timestamp - 1)
            : uint48(block.timestamp + bound(deadlineOffset, 0, 2 days));
        uint256 nonce = ghostNonce[from] + (flaw == 1 ? 1 : 0); // flaw 1: signed for the next nonce
        uint256 key = flaw == 3 ? _keys[(who + 1) % 3] : _keys[who]; // flaw 3: signed by someone else
        _sign(key, request, nonce);
        _signed.push(Signed({request: request, nonce: nonce, recoversTo: vm.addr(key), slot: who, executed: false}));
    }

    function _executeOne(uint256 tag) internal {
        Signed storage s = _signed[tag];
        bytes memory expected = _expectedError(s, ghostNonce[s.request.from]);
        uint256 value = s.request.value;
        vm.deal(RELAYER, value);
        vm.prank(RELAYER);
        try forwarder.execute{value: value}(s.request) {
            if (expected.length != 0) revert Reverts.RevertsExpectedRevert(Reverts.selector(expected));
            _executed(tag);
            assertEq(RELAYER.balance, 0, "the relayer paid the value");
        } catch (bytes memory reason) {
            if (expected.length == 0) Reverts.bubble(reason);
            _checkRefusal(reason, expected);
            assertEq(RELAYER.balance, value, "a refused request costs the relayer nothing");
        }
    }

    /// @dev `reason` must be the expected named error; for {ERC2771ForwarderInvalidSigner} with an unpredictable
    /// recovered signer, its `from` argument must still match.
    function _checkRefusal(bytes memory reason, bytes memory expected) internal {
        bytes4 selector = Reverts.selector(expected);
        Reverts.check(reason, selector);
        if (selector == ERC2771Forwarder.ERC2771ForwarderInvalidSigner.selector && _word(expected, 0) == 0) {
            if (_word(reason, 1) != _word(expected, 1)) Reverts.bubble(reason);
        } else {
            Reverts.checkExact(reason, expected);
        }
        ++refused[selector];
    }

    function _executed(uint256 tag) internal {
        Signed storage s = _signed[tag];
        address from = s.request.from;
        ++ghostNonce[from];
        s.executed = true;
        ++executed;
        if (s.request.to == address(token)) ++tokenTransfers;
    }

    function _word(bytes memory data, uint256 index) internal pure returns (uint256 word) {
        assembly ("memory-safe") {
            word := mload(add(add(data, 0x24), mul(index, 0x20)))
        }
    }
}

contract TokenTagsForwarderInvariantTest is Test {
    ForwarderHandler internal handler;

    function setUp() public {
        handler = new ForwarderHandler();
        targetContract(address(handler));
        targetSelector(FuzzSelector(address(handler), handler.actions()));
    }

    /// @dev Both checks below, in one campaign (each invariant_ function runs runs x depth calls of its own).
    function invariant_ExecutesAtMostOnceAsItsSignerBeforeItsDeadline() public view {
        _atMostOnceAsSignerBeforeDeadline();
        _noncesAndBalances();
    }

    /// @dev Each request ran at most once, only if the model says it executed, with its signer as `_msgSender()`,
    /// its own value, and never after its deadline.
    function _atMostOnceAsSignerBeforeDeadline() internal view {
        ForwardRecorder recorder = handler.recorder();
        for (uint256 tag = 0; tag < handler.signedCount(); ++tag) {
            ForwarderHandler.Signed memory s = handler.signed(tag);
            if (s.request.to != address(recorder)) continue;
            assertEq(recorder.timesExecuted(tag), s.executed ? 1 : 0, "executed at most once, as modelled");
            if (!s.executed) continue;
            assertEq(recorder.senderOf(tag), s.request.from, "the target saw the signer");
            assertEq(s.recoversTo, s.request.from, "only requests signed by their from execute");
            assertLe(recorder.executedAt(tag), s.request.deadline, "never after the deadline");
            assertEq(recorder.valueOf(tag), s.request.value, "with the signed value");
        }
    }

    /// @dev A signer's nonce counts exactly its executed requests; the forwarder keeps no value; forwarded token
    /// transfers moved the signer's tokens, one each.
    function _noncesAndBalances() internal view {
        uint256 executed;
        for (uint256 i = 0; i < 3; ++i) {
            address signer = handler.signers(i);
            assertEq(handler.forwarderContract().nonces(signer), handler.ghostNonce(signer), "nonce == executed requests");
            executed += handler.ghostNonce(signer);
        }
        assertEq(executed, handler.executed());
        assertEq(address(handler.forwarderContract()).balance, 0, "no value stays in the forwarder");
        assertEq(handler.tokenContract().balanceOf(handler.SINK()), handler.tokenTransfers(), "one token per transfer");
    }

    function afterInvariant() public view {
        if (handler.calls() < MIN_CALLS) return;
        assertGt(handler.executed(), 0, "no request executed in the run");
        assertGt(handler.replaysRefused(), 0, "no replay was refused in the run");
    }
}
